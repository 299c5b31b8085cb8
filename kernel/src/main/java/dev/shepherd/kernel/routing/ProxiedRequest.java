package dev.shepherd.kernel.routing;

import dev.shepherd.kernel.server.ErrorResponder;
import dev.shepherd.kernel.server.Errors;
import dev.shepherd.kernel.worker.RegisteredWorker;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.api.Api;
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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * One client request on its way through a worker and back. Everything here runs on the exchange's
 * I/O thread (the backend delivers there), so no state needs locking. The worker's answer is written
 * to the client as it arrives; when the client is slower than the worker, reading from the worker
 * pauses until the client catches up.
 */
final class ProxiedRequest implements ResponseSink {

    private static final Logger LOG = LoggerFactory.getLogger(ProxiedRequest.class);

    /** Hop-by-hop and gateway-owned headers that are never copied from a worker's answer. */
    private static final Set<String> NOT_COPIED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding",
            "upgrade", "content-encoding", "host", "date", "server", "x-request-id");

    private final Router router;
    private final HttpServerExchange exchange;
    private final KernelGatewayRequest request;
    private final Api api;
    private final Policy policy;
    private List<Worker> tried = List.of();
    private int attempts;

    private RegisteredWorker worker;
    private BackendCall call;
    private StreamSinkChannel channel;
    private boolean headSent;
    private boolean streaming;
    private boolean upstreamDone;
    private boolean completeRequested;
    private ByteBuffer pending;

    ProxiedRequest(Router router, HttpServerExchange exchange, KernelGatewayRequest request, Api api) {
        this.router = router;
        this.exchange = exchange;
        this.request = request;
        this.api = api;
        this.policy = router.policies.forModel(request.model());
    }

    void start() {
        exchange.addExchangeCompleteListener((ex, next) -> {
            if (!upstreamDone && call != null) {
                // The client went away before the worker finished: stop the worker's work too.
                call.cancel();
                finishWorker(false);
            }
            next.proceed();
        });
        attempt();
    }

    private void attempt() {
        String model = request.model();
        List<Worker> candidates = withoutTried(router.registry.availableFor(model));
        if (candidates.isEmpty()) {
            fail(router.registry.knowsModel(model) ? Errors.noAvailableWorkers(model) : GatewayException.modelNotFound(model));
            return;
        }
        Worker chosen = policy.select(candidates, request).orElse(null);
        if (!(chosen instanceof RegisteredWorker registered)) {
            fail(Errors.noAvailableWorkers(model));
            return;
        }
        Backend backend = router.backends.get(chosen.backend());
        if (backend == null) {
            fail(Errors.upstreamFailed("worker " + chosen.url() + " needs backend '" + chosen.backend() + "', which is not loaded"));
            return;
        }
        worker = registered;
        attempts++;
        worker.requestStarted();
        Duration remaining = Duration.between(Instant.now(), request.deadline());
        if (remaining.isNegative() || remaining.isZero()) {
            finishWorker(false);
            fail(Errors.upstreamTimeout("request deadline passed"));
            return;
        }
        UpstreamRequest upstream = new UpstreamRequest("POST", request.parsed().upstreamPath(),
                ForwardedHeaders.of(request.headers(), request.id()), request.parsed().body(), request.stream(),
                remaining, exchange.getIoThread());
        call = backend.call(worker, upstream, this);
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

    @Override
    public void onHead(int status, Headers headers) {
        headSent = true;
        exchange.setStatusCode(status);
        HeaderMap out = exchange.getResponseHeaders();
        for (Map.Entry<String, List<String>> header : headers.values().entrySet()) {
            if (!NOT_COPIED.contains(header.getKey())) {
                out.putAll(new HttpString(header.getKey()), header.getValue());
            }
        }
        streaming = !headers.contains("content-length");
        channel = exchange.getResponseChannel();
    }

    @Override
    public void onData(ByteBuffer data) {
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

    @Override
    public void onComplete() {
        upstreamDone = true;
        finishWorker(true);
        if (pending != null) {
            completeRequested = true;
        } else {
            endResponse();
        }
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        upstreamDone = true;
        finishWorker(false);
        if (!headSent) {
            if (failure.kind() == UpstreamFailure.Kind.CONNECT && router.health != null) {
                router.health.suspect(worker);
            }
            if (retryable(failure) && attempts < router.maxAttempts) {
                LOG.debug("request {}: {} failed ({}), retrying on another worker", request.id(), worker, failure.message());
                List<Worker> next = new ArrayList<>(tried);
                next.add(worker);
                tried = next;
                upstreamDone = false;
                attempt();
                return;
            }
            fail(failure.kind() == UpstreamFailure.Kind.TIMEOUT
                    ? Errors.upstreamTimeout(failure.message()) : Errors.upstreamFailed(failure.message()));
            return;
        }
        LOG.warn("request {}: {} failed mid-response: {}", request.id(), worker, failure.message());
        if (streaming && pending == null) {
            // Tell the client in-band rather than truncating the stream silently.
            GatewayException error = failure.kind() == UpstreamFailure.Kind.TIMEOUT
                    ? Errors.upstreamTimeout(failure.message()) : Errors.upstreamFailed(failure.message());
            onData(ByteBuffer.wrap(ErrorResponder.sseEvent(error)));
            if (pending == null) {
                endResponse();
                return;
            }
            completeRequested = true;
            return;
        }
        IoUtils.safeClose(exchange.getConnection());
    }

    /** A request that never reached the worker is safe to send elsewhere. */
    private static boolean retryable(UpstreamFailure failure) {
        return failure.kind() == UpstreamFailure.Kind.CONNECT;
    }

    private void finishWorker(boolean success) {
        if (worker != null) {
            worker.requestFinished(success);
            policy.onComplete(worker, request, success);
        }
    }

    private void waitForClient() {
        call.pause();
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
            } else if (!upstreamDone) {
                call.resume();
            }
        } catch (IOException e) {
            clientGone(e);
        }
    }

    private void endResponse() {
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
        if (!upstreamDone) {
            upstreamDone = true;
            call.cancel();
            finishWorker(false);
        }
        IoUtils.safeClose(exchange.getConnection());
    }

    private void fail(GatewayException error) {
        upstreamDone = true;
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
}
