package dev.shepherd.kernel.observe.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestObserver;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.kernel.observe.tracing.TraceCorrelated;
import dev.shepherd.kernel.observe.tracing.TracingObserver;
import dev.shepherd.spi.TokenUsage;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Request correlation in the logs and one access log line per request.
 *
 * <ul>
 *   <li>Between {@link ObservedRequest#enter()} and {@link ObservedRequest#exit()} the MDC holds the
 *       request's {@value #MDC_REQUEST_ID} (and, through the traced observer it wraps, {@code trace_id}
 *       and {@code span_id}), so every line logged on behalf of the request carries them.</li>
 *   <li>When the exchange ends, logger {@value #LOGGER} writes one line at INFO (health probes and
 *       {@code /metrics} at DEBUG) with {@code method}, {@code route}, {@code path}, {@code status},
 *       {@code error_code}, {@code latency_ms}, {@code model}, {@code stream}, {@code tenant},
 *       {@code worker}, {@code attempts}, {@code prompt_tokens}, {@code completion_tokens},
 *       {@code cached_tokens}, {@code ttft_ms}, {@code request_id} and {@code trace_id}: structured
 *       arguments, so each is a field of its own in JSON and {@code key=value} in text. Fields that do not
 *       apply are left out. Headers, query strings and bodies are never logged.</li>
 * </ul>
 *
 * <p>It wraps the tracing observer, rather than sitting beside it, so that its line knows the trace id;
 * everything the wrapped observer is told happens first.
 */
public final class AccessLogObserver implements RequestObserver {

    /** The access log's logger name. */
    public static final String LOGGER = "smg.access";
    /** MDC key of the request id. */
    public static final String MDC_REQUEST_ID = "request_id";

    private static final Logger ACCESS = LoggerFactory.getLogger(LOGGER);
    private static final Set<String> PROBES = Set.of("/health", "/liveness", "/readiness", "/metrics", "/health_generate");
    private static final String[] FORMATS = new String[32];

    static {
        StringBuilder format = new StringBuilder();
        for (int i = 0; i < FORMATS.length; i++) {
            FORMATS[i] = format.toString().stripTrailing();
            format.append("{} ");
        }
    }

    private final RequestObserver traced;
    private final Logger log;

    /** An access log without tracing. */
    public AccessLogObserver() {
        this(null);
    }

    /** An access log whose lines and MDC carry the trace that {@code traced} (may be null) starts. */
    public AccessLogObserver(RequestObserver traced) {
        this(traced, ACCESS);
    }

    AccessLogObserver(RequestObserver traced, Logger log) {
        this.traced = traced;
        this.log = log;
    }

    @Override
    public ObservedRequest begin(RequestStart start) {
        ObservedRequest inner = traced == null ? ObservedRequest.NONE : traced.begin(start);
        return new LoggedRequest(this, start, inner);
    }

    /** One request: its correlation ids while it runs and what its access line will say. */
    private static final class LoggedRequest implements ObservedRequest {
        private final AccessLogObserver owner;
        private final RequestStart start;
        private final ObservedRequest inner;

        private String model;
        private Boolean stream;
        private String tenant;
        private String worker;
        private int attempts;
        private TokenUsage usage;
        private int streamedTokens;
        private long firstTokenNanos;
        private boolean logged;

        private int depth;
        private String outerRequestId;

        LoggedRequest(AccessLogObserver owner, RequestStart start, ObservedRequest inner) {
            this.owner = owner;
            this.start = start;
            this.inner = inner;
        }

        @Override
        public void enter() {
            if (depth++ == 0) {
                outerRequestId = MDC.get(MDC_REQUEST_ID);
                MDC.put(MDC_REQUEST_ID, start.requestId());
            }
            inner.enter();
        }

        @Override
        public void exit() {
            inner.exit();
            if (depth > 0 && --depth == 0) {
                if (outerRequestId == null) {
                    MDC.remove(MDC_REQUEST_ID);
                } else {
                    MDC.put(MDC_REQUEST_ID, outerRequestId);
                    outerRequestId = null;
                }
            }
        }

        @Override
        public void admitted(String tenant, String priorityClass, long queuedNanos) {
            inner.admitted(tenant, priorityClass, queuedNanos);
            this.tenant = tenant;
        }

        @Override
        public void parsed(String model, String kind, boolean stream) {
            inner.parsed(model, kind, stream);
            this.model = model;
            this.stream = stream;
        }

        @Override
        public void attemptStarted(Worker worker, String policy, int attempt, Map<String, List<String>> outgoingHeaders) {
            inner.attemptStarted(worker, policy, attempt, outgoingHeaders);
            this.worker = worker.url();
            this.attempts = Math.max(attempts, attempt);
        }

        @Override
        public void attemptFinished(Worker worker, int attempt, int status, UpstreamFailure.Kind failure) {
            inner.attemptFinished(worker, attempt, status, failure);
        }

        @Override
        public void retryScheduled(Worker failed, int attempt, long backoffMillis) {
            inner.retryScheduled(failed, attempt, backoffMillis);
        }

        @Override
        public void streamResumed(Worker failed, int tokens) {
            inner.streamResumed(failed, tokens);
        }

        @Override
        public void responseStarted(int status, boolean streaming) {
            inner.responseStarted(status, streaming);
        }

        @Override
        public void generated(int streamedTokens, long firstTokenNanos, long lastTokenNanos, TokenUsage usage) {
            inner.generated(streamedTokens, firstTokenNanos, lastTokenNanos, usage);
            this.streamedTokens = streamedTokens;
            this.firstTokenNanos = firstTokenNanos;
            this.usage = usage;
        }

        @Override
        public void completed(int status, String errorCode) {
            inner.completed(status, errorCode);
            if (logged) {
                return;
            }
            logged = true;
            long endNanos = System.nanoTime();
            boolean probe = PROBES.contains(start.route());
            Logger log = owner.log;
            if (probe ? !log.isDebugEnabled() : !log.isInfoEnabled()) {
                return;
            }
            List<Object> fields = new ArrayList<>(20);
            fields.add(kv("method", start.method()));
            fields.add(kv("route", start.route()));
            fields.add(kv("path", start.path()));
            fields.add(kv("status", status));
            if (errorCode != null) {
                fields.add(kv("error_code", errorCode));
            }
            fields.add(kv("latency_ms", millis(endNanos - start.startNanos())));
            if (model != null) {
                fields.add(kv("model", model));
            }
            if (stream != null) {
                fields.add(kv("stream", stream));
            }
            if (tenant != null) {
                fields.add(kv("tenant", tenant));
            }
            if (worker != null) {
                fields.add(kv("worker", withoutUserInfo(worker)));
                fields.add(kv("attempts", attempts));
            }
            if (usage != null) {
                fields.add(kv("prompt_tokens", usage.promptTokens()));
                fields.add(kv("completion_tokens", usage.completionTokens()));
                fields.add(kv("cached_tokens", usage.cachedTokens()));
            } else if (streamedTokens > 0) {
                fields.add(kv("completion_tokens", streamedTokens));
            }
            if (firstTokenNanos > 0) {
                fields.add(kv("ttft_ms", millis(firstTokenNanos - start.startNanos())));
            }
            fields.add(kv(MDC_REQUEST_ID, start.requestId()));
            if (inner instanceof TraceCorrelated trace) {
                fields.add(kv(TracingObserver.MDC_TRACE_ID, trace.traceId()));
            }
            // The same ids as fields of the line: keep the MDC's copies out of it (no duplicate keys).
            String mdcRequest = MDC.get(MDC_REQUEST_ID);
            String mdcTrace = MDC.get(TracingObserver.MDC_TRACE_ID);
            String mdcSpan = MDC.get(TracingObserver.MDC_SPAN_ID);
            if (mdcRequest != null || mdcTrace != null || mdcSpan != null) {
                MDC.remove(MDC_REQUEST_ID);
                MDC.remove(TracingObserver.MDC_TRACE_ID);
                MDC.remove(TracingObserver.MDC_SPAN_ID);
            }
            try {
                Object[] args = fields.toArray();
                if (probe) {
                    log.debug(FORMATS[args.length], args);
                } else {
                    log.info(FORMATS[args.length], args);
                }
            } finally {
                restore(MDC_REQUEST_ID, mdcRequest);
                restore(TracingObserver.MDC_TRACE_ID, mdcTrace);
                restore(TracingObserver.MDC_SPAN_ID, mdcSpan);
            }
        }

        private static void restore(String key, String value) {
            if (value != null) {
                MDC.put(key, value);
            }
        }
    }

    /** Milliseconds with microsecond precision. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** A URL without {@code user:password@}. */
    static String withoutUserInfo(String url) {
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
}
