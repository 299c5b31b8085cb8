package dev.shepherd.kernel.routing;

import dev.shepherd.kernel.errors.ErrorResponder;
import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.errors.Errors;
import dev.shepherd.kernel.worker.RegisteredWorker;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.ParsedRequest;
import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.backend.UpstreamRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;

/**
 * One client request on its way through workers and back. Everything here runs on the exchange's
 * I/O thread (backends deliver there), so no state needs locking.
 *
 * <ul>
 *   <li>Before anything reaches the client, a failed attempt (no connection, a reset, a timeout, or a
 *       retryable status) is retried on another worker after a backoff, up to the attempt limit.</li>
 *   <li>The answer is written as it arrives; a client slower than the worker pauses the worker's
 *       stream; a client that leaves cancels the worker's call.</li>
 *   <li>A stream whose worker dies after the first byte is continued on another worker when the API
 *       can build a continuation; otherwise it ends with an explicit error event, never silently.</li>
 *   <li>Every outcome feeds the worker's circuit breaker.</li>
 * </ul>
 */
final class ProxiedRequest {

    private static final Logger LOG = LoggerFactory.getLogger(ProxiedRequest.class);


    /** Bytes of request body per prompt token, for the estimate of a worker's queued prefill work. */
    private static final int BODY_BYTES_PER_TOKEN = 4;

    /** Largest non-streamed answer whose usage is read for metrics. */
    private static final int MAX_USAGE_BODY = 256 * 1024;

    /** Hop-by-hop and gateway-owned headers that are never copied from a worker's answer. */
    private static final Set<String> NOT_COPIED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding",
            "upgrade", "content-encoding", "host", "date", "server", "x-request-id");

    private final Router router;
    private final HttpServerExchange exchange;
    private final KernelGatewayRequest request;
    private final Api api;
    private final Policy policy;
    private final long idleTimeoutNanos;
    private final ObservedRequest observed;
    private final String policyName;
    private List<Worker> tried = List.of();
    private int attempts;

    private Attempt current;
    private StreamSinkChannel channel;
    private boolean headSent;
    private boolean streaming;
    private boolean finished;
    private boolean completeRequested;
    private ByteBuffer pending;
    private StreamProgress progress;
    private SseEventFramer framer;
    private java.io.ByteArrayOutputStream bodyCopy;
    /** A non-streamed answer held back for the onResponse hooks; null when passing through. */
    private HeldAnswer held;
    /** True when middleware wants each event of this stream: events queue for the hooks instead of passing through. */
    private boolean eventHooks;
    /** A stream's last bytes without a closing blank line, sent after the hooked events. */
    private ByteBuffer eventsTail;
    private final java.util.ArrayDeque<byte[]> eventQueue = new java.util.ArrayDeque<>();
    private Headers streamHeaders;
    private boolean eventInFlight;
    private boolean endAfterEvents;

    ProxiedRequest(Router router, HttpServerExchange exchange, KernelGatewayRequest request, Api api) {
        this.router = router;
        this.exchange = exchange;
        this.request = request;
        this.api = api;
        this.policy = router.policies.forRequest(request);
        this.idleTimeoutNanos = TimeUnit.SECONDS.toNanos(router.resilience.streamIdleTimeoutSecs());
        this.observed = request.observed();
        this.policyName = router.policies.policyName(request);
    }

    void start() {
        exchange.addExchangeCompleteListener((ex, next) -> {
            if (!finished && current != null) {
                // The client went away before the worker finished: stop the worker's work too.
                current.abandon();
            }
            finished = true;
            next.proceed();
        });
        if (request.admission() != null) {
            request.admission().onPreempt(this::preempted);
        }
        attempt(request.parsed());
    }

    /** A higher-priority request took this one's slot before its answer started. */
    private void preempted() {
        if (finished || headSent) {
            return;
        }
        if (current != null) {
            current.abandon();
        }
        exchange.getResponseHeaders().put(new HttpString("X-SMG-Preempted"), "true");
        fail(new GatewayException(503, "service_unavailable", "preempted", null,
                "A higher-priority request took this request's place; retry later", Duration.ofSeconds(1)));
    }

    private void attempt(ParsedRequest body) {
        if (finished) {
            return;
        }
        String model = request.model();
        List<Worker> available = router.registry.availableFor(model);
        List<Worker> candidates = withoutTried(available);
        if (candidates.isEmpty() && !available.isEmpty() && attempts > 0) {
            // Every worker has failed this request once; the next attempt may reuse one.
            candidates = available;
        }
        if (candidates.isEmpty()) {
            fail(attempts == 0 && !router.registry.knowsModel(model)
                    ? GatewayException.modelNotFound(model) : Errors.noAvailableWorkers(model));
            return;
        }
        Worker chosen;
        try {
            chosen = policy.select(candidates, request).orElse(null);
        } catch (RuntimeException e) {
            // A broken policy costs this request an error answer, never a hung exchange.
            LOG.error("request {}: policy {} failed", request.id(), policyName, e);
            fail(Errors.internal(e));
            return;
        }
        if (!(chosen instanceof RegisteredWorker worker)) {
            fail(Errors.noAvailableWorkers(model));
            return;
        }
        Backend backend = router.backends.get(chosen.backend());
        if (backend == null) {
            fail(Errors.upstreamFailed("worker " + chosen.url() + " needs backend '" + chosen.backend() + "', which is not loaded"));
            return;
        }
        Duration remaining = Duration.between(Instant.now(), request.deadline());
        if (remaining.isNegative() || remaining.isZero()) {
            fail(Errors.upstreamTimeout("the request's deadline passed"));
            return;
        }
        attempts++;
        Attempt attempt = new Attempt(worker, body.body().length / BODY_BYTES_PER_TOKEN);
        current = attempt;
        worker.requestStarted();
        worker.promptQueued(attempt.queuedPromptTokens);
        Map<String, List<String>> outgoing = ForwardedHeaders.of(request.headers(), request.id(), request.middlewareHeaders());
        observed.attemptStarted(worker, policyName, attempts, outgoing);
        UpstreamRequest upstream = new UpstreamRequest("POST", body.upstreamPath(), new Headers(outgoing), body.body(),
                request.stream(), remaining, exchange.getIoThread());
        attempt.firstByteTimer = exchange.getIoThread().executeAfter(attempt::onFirstByteTimeout,
                router.resilience.firstByteTimeoutSecs(), TimeUnit.SECONDS);
        attempt.call = backend.call(worker, upstream, attempt);
    }

    private List<Worker> withoutTried(List<Worker> candidates) {
        if (tried.isEmpty()) {
            return candidates;
        }
        List<Worker> rest = new ArrayList<>(candidates.size());
        for (Worker w : candidates) {
            if (!tried.contains(w)) {
                rest.add(w);
            }
        }
        return rest;
    }

    private boolean mayRetry() {
        return !finished && attempts < router.maxAttempts;
    }

    private void retryLater(Worker failed, ParsedRequest body) {
        List<Worker> next = new ArrayList<>(tried);
        next.add(failed);
        tried = next;
        long delay = RetryBackoff.delayMillis(router.resilience, attempts - 1);
        observed.retryScheduled(failed, attempts, delay);
        exchange.getIoThread().executeAfter(() -> attempt(body), delay, TimeUnit.MILLISECONDS);
    }

    /** One call to one worker. Callbacks from an attempt that is no longer current are ignored. */
    private final class Attempt implements ResponseSink {
        final RegisteredWorker worker;
        /** The prompt tokens this attempt adds to the worker's queued work until its answer starts. */
        long queuedPromptTokens;
        BackendCall call;
        XnioExecutor.Key firstByteTimer;
        XnioExecutor.Key idleTimer;
        long lastDataNanos;
        boolean done;
        int status = -1;
        UpstreamFailure.Kind failureKind;

        Attempt(RegisteredWorker worker, long queuedPromptTokens) {
            this.worker = worker;
            this.queuedPromptTokens = queuedPromptTokens;
        }

        /** The worker has started answering (or the attempt ended): its prompt is no longer queued. */
        private void promptDone() {
            if (queuedPromptTokens != 0) {
                worker.promptDone(queuedPromptTokens);
                queuedPromptTokens = 0;
            }
        }

        private boolean stale() {
            return done || current != this;
        }

        @Override
        public void onHead(int status, Headers headers) {
            observed.enter();
            try {
                head(status, headers);
            } finally {
                observed.exit();
            }
        }

        private void head(int status, Headers headers) {
            if (stale()) {
                return;
            }
            this.status = status;
            firstByteTimer.remove();
            promptDone();
            boolean failedStatus = router.retryableStatuses.contains(status);
            if (failedStatus && !headSent && mayRetry()) {
                LOG.debug("request {}: {} answered {}, retrying elsewhere", request.id(), worker, status);
                worker.recordOutcome(false);
                end(false);
                call.cancel();
                retryLater(worker, request.parsed());
                return;
            }
            if (headSent) {
                // A resumed stream: the client already has a head; only a good answer may continue it,
                // and a worker that refuses the continuation hands it on to the next one.
                if (status / 100 != 2) {
                    worker.recordOutcome(!failedStatus);
                    end(false);
                    call.cancel();
                    if (!tryResume(worker)) {
                        endStreamWithError(Errors.upstreamFailed("resuming the stream failed with status " + status));
                    }
                    return;
                }
            } else {
                sendHead(status, headers);
            }
            if (streaming) {
                lastDataNanos = System.nanoTime();
                armIdleTimer(idleTimeoutNanos);
            }
            worker.recordOutcome(!failedStatus);
        }

        @Override
        public void onData(ByteBuffer data) {
            if (stale()) {
                return;
            }
            lastDataNanos = System.nanoTime();
            if (framer != null) {
                ByteBuffer whole = framer.feed(data);
                if (whole.hasRemaining()) {
                    if (progress != null) {
                        progress.feed(whole);
                    }
                    if (eventHooks) {
                        SseEventFramer.forEachEvent(whole, eventQueue::add);
                        pumpEvents();
                    } else {
                        write(whole);
                    }
                }
                return;
            }
            if (bodyCopy != null && bodyCopy.size() + data.remaining() <= MAX_USAGE_BODY) {
                ByteBuffer view = data.duplicate();
                byte[] bytes = new byte[view.remaining()];
                view.get(bytes);
                bodyCopy.write(bytes, 0, bytes.length);
            }
            if (held != null) {
                hold(data);
            } else {
                write(data);
            }
        }

        @Override
        public void onComplete() {
            observed.enter();
            try {
                complete();
            } finally {
                observed.exit();
            }
        }

        private void complete() {
            if (stale()) {
                return;
            }
            end(true);
            reportGeneration();
            if (held != null) {
                runResponseHooks();
                return;
            }
            if (framer != null) {
                // A worker that ends without a final blank line still has its last bytes delivered.
                ByteBuffer tail = framer.drain();
                if (tail.hasRemaining()) {
                    if (eventHooks) {
                        eventsTail = tail;
                    } else {
                        write(tail);
                    }
                }
            }
            if (eventHooks) {
                endAfterEvents = true;
                pumpEvents();
                return;
            }
            if (pending != null) {
                completeRequested = true;
            } else {
                endResponse();
            }
        }

        @Override
        public void onFailure(UpstreamFailure failure) {
            observed.enter();
            try {
                failed(failure);
            } finally {
                observed.exit();
            }
        }

        private void failed(UpstreamFailure failure) {
            if (stale()) {
                return;
            }
            failureKind = failure.kind();
            end(false);
            worker.recordOutcome(false);
            if (held != null) {
                // Nothing of a held answer reached the client: it can still be retried or answered with an error.
                held = null;
                headSent = false;
            }
            if (failure.kind() == UpstreamFailure.Kind.CONNECT && router.health != null) {
                router.health.suspect(worker);
            }
            if (!headSent) {
                if (mayRetry()) {
                    LOG.debug("request {}: {} failed ({}), retrying elsewhere", request.id(), worker, failure.message());
                    retryLater(worker, request.parsed());
                    return;
                }
                fail(failure.kind() == UpstreamFailure.Kind.TIMEOUT
                        ? Errors.upstreamTimeout(failure.message()) : Errors.upstreamFailed(failure.message()));
                return;
            }
            LOG.warn("request {}: {} failed mid-response: {}", request.id(), worker, failure.message());
            if (framer != null) {
                framer.discard();
            }
            if (streaming && tryResume(worker)) {
                return;
            }
            if (streaming) {
                endStreamWithError(failure.kind() == UpstreamFailure.Kind.TIMEOUT
                        ? Errors.upstreamTimeout(failure.message()) : Errors.upstreamFailed(failure.message()));
                return;
            }
            // A fixed-length answer cannot be completed: close so the client sees a truncated body, not a hang.
            IoUtils.safeClose(exchange.getConnection());
        }

        void onFirstByteTimeout() {
            if (stale()) {
                return;
            }
            call.cancel();
            onFailure(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT,
                    "no answer within " + router.resilience.firstByteTimeoutSecs() + "s"));
        }

        private void armIdleTimer(long delayNanos) {
            idleTimer = exchange.getIoThread().executeAfter(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
        }

        /** Re-arms for the rest of the idle budget instead of rescheduling on every chunk. */
        private void checkIdle() {
            if (stale()) {
                return;
            }
            long silent = System.nanoTime() - lastDataNanos;
            if (silent < idleTimeoutNanos) {
                armIdleTimer(idleTimeoutNanos - silent);
                return;
            }
            call.cancel();
            onFailure(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT,
                    "stream idle for " + router.resilience.streamIdleTimeoutSecs() + "s"));
        }

        /** The client left: stop the worker's work. */
        void abandon() {
            if (!done) {
                end(false);
                call.cancel();
            }
        }

        private void end(boolean success) {
            done = true;
            promptDone();
            if (firstByteTimer != null) {
                firstByteTimer.remove();
            }
            if (idleTimer != null) {
                idleTimer.remove();
            }
            worker.requestFinished(success);
            policy.onComplete(worker, request, success);
            observed.attemptFinished(worker, attempts, status, failureKind);
        }

        void pause() {
            call.pause();
        }

        void resume() {
            if (!done) {
                call.resume();
            }
        }
    }

    private void sendHead(int status, Headers headers) {
        headSent = true;
        if (request.admission() != null) {
            request.admission().markStarted();
        }
        if (headers.contains("content-length") && router.responseHooks.active()) {
            // Middleware may change status, headers or body: hold the whole answer until the hooks ran.
            held = new HeldAnswer(status, headers);
            if (status == 200) {
                bodyCopy = new java.io.ByteArrayOutputStream(512);
            }
            observed.responseStarted(status, false);
            return;
        }
        if (isStream(headers) && status == 200 && router.responseHooks.wantsStreamEvents()) {
            streamHeaders = headers;
            eventHooks = true;
        }
        writeHead(status, headers);
    }

    private void writeHead(int status, Headers headers) {
        writeHead(status, headers, true);
    }

    /** @param first false for an answer held for the hooks, whose start was already observed */
    private void writeHead(int status, Headers headers, boolean first) {
        exchange.setStatusCode(status);
        HeaderMap out = exchange.getResponseHeaders();
        for (Map.Entry<String, List<String>> header : headers.values().entrySet()) {
            if (!NOT_COPIED.contains(header.getKey())) {
                out.putAll(new HttpString(header.getKey()), header.getValue());
            }
        }
        streaming = isStream(headers);
        if (streaming) {
            framer = new SseEventFramer();
        }
        if (first) {
            if (streaming && status == 200) {
                progress = new StreamProgress(request.parsed(), router.resilience.resumeStreams());
            } else if (!streaming && status == 200) {
                bodyCopy = new java.io.ByteArrayOutputStream(512);
            }
            observed.responseStarted(status, streaming);
        }
        channel = exchange.getResponseChannel();
    }

    /**
     * Whether the answer is a stream of events: an event stream, or no length for a client that asked
     * for a stream. A non-streamed answer sent in chunks is still one document: it is never framed
     * into events nor resumed.
     */
    private boolean isStream(Headers headers) {
        String type = headers.first("content-type");
        return type != null && type.regionMatches(true, 0, "text/event-stream", 0, "text/event-stream".length())
                || request.stream() && !headers.contains("content-length");
    }

    /** Continues a broken stream on another worker; false when that is not possible. */
    private boolean tryResume(Worker failed) {
        if (progress == null || !router.resilience.resumeStreams() || !mayRetry() || pending != null) {
            return false;
        }
        Optional<ParsedRequest> continuation = request.parsed().continuation(progress.text(), progress.tokens());
        if (continuation.isEmpty()) {
            return false;
        }
        LOG.info("request {}: resuming the stream on another worker after {} tokens", request.id(), progress.tokens());
        router.resumedStreams.increment();
        observed.streamResumed(failed, progress.tokens());
        retryLater(failed, continuation.get());
        return true;
    }

    /** Reports tokens and timing of the finished answer to the observers. */
    private void reportGeneration() {
        if (progress != null) {
            observed.generated(progress.tokens(), progress.firstTokenNanos(), progress.lastTokenNanos(), progress.usage());
        } else if (bodyCopy != null && bodyCopy.size() > 0) {
            observed.generated(0, 0, 0, request.parsed().usage(bodyCopy.toByteArray()).orElse(null));
        }
    }

    private void write(ByteBuffer data) {
        if (pending != null) {
            pending = append(pending, data);
            return;
        }
        try {
            while (data.hasRemaining() && channel.write(data) > 0) {
                // keep writing while the socket takes it
            }
            if (data.hasRemaining()) {
                pending = copy(data);
                waitForClient();
            } else if (streaming && !channel.flush()) {
                // An event must reach the client now, not when the next one arrives.
                waitForClient();
            }
        } catch (IOException e) {
            clientGone(e);
        }
    }

    private void waitForClient() {
        if (current != null && !current.done) {
            current.pause();
        }
        channel.getWriteSetter().set(ch -> onClientWritable());
        channel.resumeWrites();
    }

    private void onClientWritable() {
        try {
            if (pending != null) {
                while (pending.hasRemaining() && channel.write(pending) > 0) {
                    // drain what was held back
                }
                if (pending.hasRemaining()) {
                    return;
                }
                pending = null;
            }
            if (!channel.flush()) {
                return;
            }
            channel.suspendWrites();
            if (completeRequested) {
                endResponse();
            } else if (current != null) {
                current.resume();
            }
        } catch (IOException e) {
            clientGone(e);
        }
    }

    /** Keeps a held answer's bytes; one over the cap is released untouched (the hooks are skipped). */
    private void hold(ByteBuffer data) {
        if (held.size() + data.remaining() <= ResponseHooks.MAX_BODY) {
            held.append(data);
            return;
        }
        LOG.debug("request {}: answer over {} bytes, onResponse hooks skipped", request.id(), ResponseHooks.MAX_BODY);
        HeldAnswer answer = held;
        held = null;
        writeHead(answer.status(), answer.headers(), false);
        write(ByteBuffer.wrap(answer.bytes()));
        write(data);
    }

    /** Step 5': runs the hooks over the held answer, then sends what they made of it. */
    private void runResponseHooks() {
        HeldAnswer answer = held;
        held = null;
        router.responseHooks.run(request, new dev.shepherd.spi.middleware.ResponseView(answer.status(), answer.headers(),
                answer.bytes(), false)).whenComplete((outcome, failure) -> onIoThread(() -> {
                    if (finished) {
                        return;
                    }
                    if (failure != null) {
                        LOG.error("request {}: an onResponse hook failed", request.id(), failure);
                        fail(Errors.internal(failure));
                        return;
                    }
                    dev.shepherd.spi.middleware.ResponseView view = outcome.view();
                    java.util.Map<String, List<String>> headers = new java.util.LinkedHashMap<>(view.headers().values());
                    headers.put("content-length", List.of(Integer.toString(view.body().length)));
                    writeHead(view.status(), new Headers(headers), false);
                    write(ByteBuffer.wrap(view.body()));
                    if (pending == null) {
                        endResponse();
                    } else {
                        completeRequested = true;
                    }
                }));
    }

    /** Runs the stream-event hooks over queued events one at a time, in order, then ends the stream if asked. */
    private void pumpEvents() {
        if (eventInFlight || finished) {
            return;
        }
        byte[] event = eventQueue.poll();
        if (event == null) {
            if (endAfterEvents) {
                if (eventsTail != null) {
                    write(eventsTail);
                    eventsTail = null;
                }
                if (pending == null) {
                    endResponse();
                } else {
                    completeRequested = true;
                }
            }
            return;
        }
        eventInFlight = true;
        router.responseHooks.run(request, new dev.shepherd.spi.middleware.ResponseView(200, streamHeaders, event, true))
                .whenComplete((outcome, failure) -> onIoThread(() -> {
                    eventInFlight = false;
                    if (finished) {
                        return;
                    }
                    if (failure != null) {
                        LOG.error("request {}: a stream-event hook failed", request.id(), failure);
                        endEventsEarly(ErrorResponder.sseEvent(Errors.internal(failure)));
                        return;
                    }
                    if (outcome.replaced()) {
                        // A stream's head is gone: a hook's own answer can only end it, with its body as the last bytes.
                        endEventsEarly(outcome.view().body());
                        return;
                    }
                    write(ByteBuffer.wrap(outcome.view().body()));
                    pumpEvents();
                }));
    }

    private void endEventsEarly(byte[] last) {
        eventQueue.clear();
        if (current != null) {
            current.abandon();
        }
        if (last.length > 0) {
            write(ByteBuffer.wrap(last));
        }
        if (pending == null) {
            endResponse();
        } else {
            completeRequested = true;
        }
    }

    /** Exchanges are not thread-safe: continue on the exchange's own I/O thread. */
    private void onIoThread(Runnable task) {
        if (Thread.currentThread() == exchange.getIoThread()) {
            task.run();
        } else {
            exchange.getIoThread().execute(task);
        }
    }

    private void endStreamWithError(GatewayException error) {
        // Tell the client in-band rather than truncating the stream silently.
        write(ByteBuffer.wrap(ErrorResponder.sseEvent(error)));
        if (pending == null) {
            endResponse();
        } else {
            completeRequested = true;
        }
    }

    private void endResponse() {
        finished = true;
        try {
            channel.shutdownWrites();
            if (!channel.flush()) {
                channel.getWriteSetter().set(ChannelListeners.flushingChannelListener(null,
                        (ch, e) -> IoUtils.safeClose(exchange.getConnection())));
                channel.resumeWrites();
            }
        } catch (IOException e) {
            clientGone(e);
        }
    }

    private void clientGone(IOException e) {
        LOG.debug("request {}: client went away: {}", request.id(), e.toString());
        exchange.putAttachment(ProxiedRequestMarks.CLIENT_GONE, Boolean.TRUE);
        if (current != null) {
            current.abandon();
        }
        finished = true;
        IoUtils.safeClose(exchange.getConnection());
    }

    private void fail(GatewayException error) {
        finished = true;
        ErrorResponder.send(exchange, error, api);
    }

    private static ByteBuffer copy(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        return copy;
    }

    private static ByteBuffer append(ByteBuffer held, ByteBuffer more) {
        ByteBuffer joined = ByteBuffer.allocate(held.remaining() + more.remaining());
        joined.put(held).put(more).flip();
        return joined;
    }

    /** A worker's non-streamed answer, kept until the onResponse hooks are done with it. */
    private static final class HeldAnswer {
        private final int status;
        private final Headers headers;
        private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(1024);

        HeldAnswer(int status, Headers headers) {
            this.status = status;
            this.headers = headers;
        }

        int status() {
            return status;
        }

        Headers headers() {
            return headers;
        }

        int size() {
            return body.size();
        }

        void append(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            body.write(bytes, 0, bytes.length);
        }

        byte[] bytes() {
            return body.toByteArray();
        }
    }
}
