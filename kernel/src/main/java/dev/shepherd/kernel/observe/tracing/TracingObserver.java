package dev.shepherd.kernel.observe.tracing;

import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestObserver;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.TokenUsage;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.worker.Worker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * One trace per request. The incoming W3C {@code traceparent} (and {@code tracestate}, {@code baggage})
 * is the parent; spans:
 * <pre>
 * {method} {route}            SERVER  the whole exchange: route, method, path, request id, model, status
 * ├─ admission                INTERNAL time in the admission queue (tenant, priority class)
 * ├─ routing                  INTERNAL from the parsed body to the first attempt: middleware + policy
 * ├─ attempt                  CLIENT  one per upstream attempt: worker, attempt number, status, outcome;
 * │                                   its context goes to the worker as traceparent so engine spans join
 * └─ stream                   INTERNAL a streamed answer, head to last token; event first_token
 * </pre>
 * Retries and stream resumptions are events on the request span. Between {@link ObservedRequest#enter()}
 * and {@link ObservedRequest#exit()} the request's context is current and the MDC holds
 * {@value #MDC_TRACE_ID} and {@value #MDC_SPAN_ID}.
 *
 * <p>All times come from {@link System#nanoTime()} anchored once per request to the wall clock, so a
 * request's spans line up exactly. Calls arrive on the request's I/O thread in order; nothing locks.
 */
public final class TracingObserver implements RequestObserver {

    /** MDC key of the trace id. */
    public static final String MDC_TRACE_ID = "trace_id";
    /** MDC key of the current span id. */
    public static final String MDC_SPAN_ID = "span_id";

    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("smg.request_id");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> API_KIND = AttributeKey.stringKey("smg.api.kind");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("smg.stream");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("smg.tenant");
    static final AttributeKey<String> PRIORITY_CLASS = AttributeKey.stringKey("smg.priority_class");
    static final AttributeKey<Double> QUEUE_WAIT_MS = AttributeKey.doubleKey("smg.queue_wait_ms");
    static final AttributeKey<String> POLICY = AttributeKey.stringKey("smg.policy");
    static final AttributeKey<String> WORKER_URL = AttributeKey.stringKey("smg.worker.url");
    static final AttributeKey<String> WORKER_ID = AttributeKey.stringKey("smg.worker.id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("smg.attempt");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("smg.attempts");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("smg.outcome");
    static final AttributeKey<Long> BACKOFF_MS = AttributeKey.longKey("smg.backoff_ms");
    static final AttributeKey<Long> TOKENS = AttributeKey.longKey("smg.tokens");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHED_TOKENS = AttributeKey.longKey("smg.usage.cached_tokens");
    static final AttributeKey<Double> TTFT_MS = AttributeKey.doubleKey("smg.ttft_ms");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public TracingObserver(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public ObservedRequest begin(RequestStart start) {
        Context parent = propagator.extract(Context.root(), start.headers(), HeadersGetter.INSTANCE);
        long nowNanos = System.nanoTime();
        long nowEpochNanos = epochNanos();
        long startEpoch = nowEpochNanos - (nowNanos - start.startNanos());
        Span request = tracer.spanBuilder(start.method() + " " + start.route())
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(startEpoch, TimeUnit.NANOSECONDS)
                .setAttribute(HTTP_METHOD, start.method())
                .setAttribute(HTTP_ROUTE, start.route())
                .setAttribute(URL_PATH, start.path())
                .setAttribute(REQUEST_ID, start.requestId())
                .startSpan();
        return new TracedRequest(this, parent.with(request), request, nowEpochNanos - nowNanos, startEpoch);
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** One request's spans. */
    private static final class TracedRequest implements ObservedRequest, TraceCorrelated {
        private final TracingObserver owner;
        private final Context requestContext;
        private final Span request;
        /** Add to a {@link System#nanoTime()} reading to get epoch nanoseconds. */
        private final long epochOffset;
        private final boolean recording;
        private final long startEpoch;

        private Span routing;
        private Span attempt;
        private Context attemptContext;
        private int attempts;
        private Span stream;
        private boolean ended;

        private int depth;
        private Scope scope;
        private String outerTraceId;
        private String outerSpanId;

        TracedRequest(TracingObserver owner, Context requestContext, Span request, long epochOffset, long startEpoch) {
            this.owner = owner;
            this.startEpoch = startEpoch;
            this.requestContext = requestContext;
            this.request = request;
            this.epochOffset = epochOffset;
            this.recording = request.isRecording();
        }

        private long epoch(long nanoTime) {
            return nanoTime + epochOffset;
        }

        private long now() {
            return epoch(System.nanoTime());
        }

        @Override
        public String traceId() {
            return request.getSpanContext().getTraceId();
        }

        @Override
        public String spanId() {
            return request.getSpanContext().getSpanId();
        }

        @Override
        public boolean sampled() {
            return request.getSpanContext().isSampled();
        }

        @Override
        public void enter() {
            if (depth++ > 0) {
                return;
            }
            Context current = attemptContext != null ? attemptContext : requestContext;
            scope = current.makeCurrent();
            outerTraceId = MDC.get(MDC_TRACE_ID);
            outerSpanId = MDC.get(MDC_SPAN_ID);
            SpanContext ids = Span.fromContext(current).getSpanContext();
            MDC.put(MDC_TRACE_ID, ids.getTraceId());
            MDC.put(MDC_SPAN_ID, ids.getSpanId());
        }

        @Override
        public void exit() {
            if (depth == 0 || --depth > 0) {
                return;
            }
            restore(MDC_TRACE_ID, outerTraceId);
            restore(MDC_SPAN_ID, outerSpanId);
            outerTraceId = null;
            outerSpanId = null;
            scope.close();
            scope = null;
        }

        private static void restore(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }

        @Override
        public void admitted(String tenant, String priorityClass, long queuedNanos) {
            if (!recording || ended) {
                return;
            }
            long end = System.nanoTime();
            owner.tracer.spanBuilder("admission")
                    .setParent(requestContext)
                    .setStartTimestamp(epoch(end - queuedNanos), TimeUnit.NANOSECONDS)
                    .setAttribute(TENANT, tenant)
                    .setAttribute(PRIORITY_CLASS, priorityClass)
                    .setAttribute(QUEUE_WAIT_MS, queuedNanos / 1e6)
                    .startSpan()
                    .end(epoch(end), TimeUnit.NANOSECONDS);
        }

        @Override
        public void parsed(String model, String kind, boolean stream) {
            if (!recording || ended) {
                return;
            }
            if (model != null) {
                request.setAttribute(MODEL, model);
            }
            if (kind != null) {
                request.setAttribute(API_KIND, kind);
            }
            request.setAttribute(STREAM, stream);
            if (routing == null && attempts == 0) {
                routing = owner.tracer.spanBuilder("routing")
                        .setParent(requestContext)
                        .setStartTimestamp(now(), TimeUnit.NANOSECONDS)
                        .startSpan();
            }
        }

        @Override
        public void attemptStarted(Worker worker, String policy, int attempt, Map<String, List<String>> outgoingHeaders) {
            if (ended) {
                return;
            }
            long now = now();
            attempts = Math.max(attempts, attempt);
            if (routing != null) {
                routing.setAttribute(POLICY, policy);
                routing.setAttribute(WORKER_URL, workerUrl(worker));
                routing.end(now, TimeUnit.NANOSECONDS);
                routing = null;
            }
            if (this.attempt != null) {
                this.attempt.setAttribute(OUTCOME, "superseded");
                this.attempt.end(now, TimeUnit.NANOSECONDS);
            }
            Span span = owner.tracer.spanBuilder("attempt")
                    .setParent(requestContext)
                    .setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(now, TimeUnit.NANOSECONDS)
                    .setAttribute(ATTEMPT, attempt)
                    .setAttribute(WORKER_URL, workerUrl(worker))
                    .setAttribute(WORKER_ID, worker.id())
                    .setAttribute(POLICY, policy)
                    .startSpan();
            this.attempt = span;
            this.attemptContext = requestContext.with(span);
            // The client's trace context was forwarded as it came; the worker's parent is this attempt.
            outgoingHeaders.remove("traceparent");
            outgoingHeaders.remove("tracestate");
            outgoingHeaders.remove("baggage");
            owner.propagator.inject(attemptContext, outgoingHeaders, HeadersSetter.INSTANCE);
        }

        @Override
        public void attemptFinished(Worker worker, int attempt, int status, UpstreamFailure.Kind failure) {
            Span span = this.attempt;
            if (span == null) {
                return;
            }
            if (status > 0) {
                span.setAttribute(HTTP_STATUS, status);
            }
            String outcome;
            if (failure != null) {
                outcome = failure.name().toLowerCase(Locale.ROOT);
                span.setAttribute(ERROR_TYPE, outcome);
                span.setStatus(StatusCode.ERROR, "upstream " + outcome);
            } else if (status >= 200 && status < 400) {
                outcome = "ok";
            } else if (status > 0) {
                outcome = "status_" + status;
                span.setAttribute(ERROR_TYPE, Integer.toString(status));
                if (status >= 500 || status == 429) {
                    span.setStatus(StatusCode.ERROR, "upstream answered " + status);
                }
            } else {
                outcome = "cancelled";
            }
            span.setAttribute(OUTCOME, outcome);
            span.end(now(), TimeUnit.NANOSECONDS);
            this.attempt = null;
            this.attemptContext = null;
        }

        @Override
        public void retryScheduled(Worker failed, int attempt, long backoffMillis) {
            if (!recording || ended) {
                return;
            }
            request.addEvent("retry", Attributes.of(WORKER_URL, workerUrl(failed), ATTEMPT, (long) attempt,
                    BACKOFF_MS, backoffMillis), now(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void streamResumed(Worker failed, int tokens) {
            if (!recording || ended) {
                return;
            }
            Attributes attributes = Attributes.of(WORKER_URL, workerUrl(failed), TOKENS, (long) tokens);
            long now = now();
            request.addEvent("stream_resumed", attributes, now, TimeUnit.NANOSECONDS);
            if (stream != null) {
                stream.addEvent("stream_resumed", attributes, now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void responseStarted(int status, boolean streaming) {
            if (!recording || ended || !streaming || stream != null) {
                return;
            }
            stream = owner.tracer.spanBuilder("stream")
                    .setParent(requestContext)
                    .setStartTimestamp(now(), TimeUnit.NANOSECONDS)
                    .setAttribute(HTTP_STATUS, (long) status)
                    .startSpan();
        }

        @Override
        public void generated(int streamedTokens, long firstTokenNanos, long lastTokenNanos, TokenUsage usage) {
            if (!recording || ended) {
                return;
            }
            if (usage != null) {
                request.setAttribute(INPUT_TOKENS, usage.promptTokens());
                request.setAttribute(OUTPUT_TOKENS, usage.completionTokens());
                request.setAttribute(CACHED_TOKENS, usage.cachedTokens());
            }
            if (stream == null) {
                return;
            }
            stream.setAttribute(TOKENS, streamedTokens);
            if (firstTokenNanos > 0) {
                stream.addEvent("first_token", epoch(firstTokenNanos), TimeUnit.NANOSECONDS);
                stream.setAttribute(TTFT_MS, (epoch(firstTokenNanos) - startEpoch) / 1e6);
            }
            stream.end(lastTokenNanos > 0 ? epoch(lastTokenNanos) : now(), TimeUnit.NANOSECONDS);
            stream = null;
        }

        @Override
        public void completed(int status, String errorCode) {
            if (ended) {
                return;
            }
            ended = true;
            long now = now();
            if (routing != null) {
                routing.setAttribute(OUTCOME, "no_attempt");
                routing.end(now, TimeUnit.NANOSECONDS);
                routing = null;
            }
            if (attempt != null) {
                attempt.setAttribute(OUTCOME, status == 499 ? "client_gone" : "unfinished");
                attempt.end(now, TimeUnit.NANOSECONDS);
                attempt = null;
                attemptContext = null;
            }
            if (stream != null) {
                stream.end(now, TimeUnit.NANOSECONDS);
                stream = null;
            }
            request.setAttribute(HTTP_STATUS, status);
            if (attempts > 0) {
                request.setAttribute(ATTEMPTS, attempts);
            }
            if (errorCode != null) {
                request.setAttribute(ERROR_TYPE, errorCode);
            } else if (status >= 500) {
                request.setAttribute(ERROR_TYPE, Integer.toString(status));
            }
            if (status >= 500) {
                request.setStatus(StatusCode.ERROR, errorCode == null ? "status " + status : errorCode);
            }
            request.end(now, TimeUnit.NANOSECONDS);
        }
    }

    /** The worker's URL without user info (credentials never go into a span). */
    static String workerUrl(Worker worker) {
        String url = worker.url();
        int at = url.indexOf('@');
        if (at < 0) {
            return url;
        }
        int scheme = url.indexOf("://");
        int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (slash >= 0 && slash < at) {
            return url;
        }
        return scheme >= 0 && scheme < at ? url.substring(0, scheme + 3) + url.substring(at + 1) : url.substring(at + 1);
    }

    /** Reads trace context from the client's headers (names are lower case). */
    private enum HeadersGetter implements TextMapGetter<Headers> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Headers carrier) {
            return carrier.values().keySet();
        }

        @Override
        public String get(Headers carrier, String key) {
            return carrier == null ? null : carrier.first(key);
        }
    }

    /** Writes trace context into the headers sent to the worker. */
    private enum HeadersSetter implements TextMapSetter<Map<String, List<String>>> {
        INSTANCE;

        @Override
        public void set(Map<String, List<String>> carrier, String key, String value) {
            if (carrier != null) {
                carrier.put(key, List.of(value));
            }
        }
    }
}
