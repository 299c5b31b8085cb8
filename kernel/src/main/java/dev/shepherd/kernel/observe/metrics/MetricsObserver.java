package dev.shepherd.kernel.observe.metrics;

import dev.shepherd.kernel.manifest.AdmissionSection;
import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestObserver;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.spi.TokenUsage;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.worker.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * Turns every request's observations into Prometheus meters: HTTP (per route template and method),
 * router (per model and endpoint), upstream attempts, retries, streaming figures and admission.
 *
 * <p>Cheap on the hot path: every meter is made once per bounded label value (route, method, model,
 * endpoint, worker, error code) and cached; a request costs one small object, a handful of map reads
 * and the counter and histogram updates themselves. No tags are built per request. Label values taken
 * from requests are bounded: unknown methods become {@code OTHER}, models not served by any worker or
 * past {@value #MAX_MODELS} distinct ones {@code other}, and so on.
 */
public final class MetricsObserver implements RequestObserver {

    static final int MAX_MODELS = 100;
    static final int MAX_ROUTES = 256;
    static final int MAX_ENDPOINTS = 32;
    static final int MAX_ERROR_CODES = 64;
    static final int MAX_CLASSES = 16;

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER"};
    /** Status classes: index 0 = no status, 1..5 = 1xx..5xx, 6 = anything else. */
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx", "other"};
    private static final String[] FAILURE_KINDS = failureKinds();
    private static final String UNKNOWN_MODEL = "unknown";

    private final MeterRegistry registry;
    private final Histograms histograms;
    private final WorkerMetrics workers;
    private final boolean[] retryable = new boolean[600];
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger streamsActive = new AtomicInteger();
    private final BoundedValues<RouteMeters> routes;
    private final BoundedValues<ModelMeters> models;
    private final BoundedValues<ClassMeters> classes;
    private final Counter rateAllowed;
    private final Counter rateRejected;
    private final Histograms.Recorder retryBackoff;
    private final AtomicReferenceArray<Counter> upstream = new AtomicReferenceArray<>(STATUS_CLASSES.length * FAILURE_KINDS.length);

    /**
     * @param servedModel whether a model name is served by some worker: only such models get their own label
     * @param retryableStatuses worker statuses that count as failed attempts
     */
    MetricsObserver(Histograms histograms, WorkerMetrics workers, Predicate<String> servedModel, Set<Integer> retryableStatuses) {
        this.histograms = histograms;
        this.registry = histograms.registry();
        this.workers = workers;
        for (int status : retryableStatuses) {
            if (status >= 0 && status < retryable.length) {
                retryable[status] = true;
            }
        }
        this.routes = new BoundedValues<>(MAX_ROUTES, RouteMeters::new);
        this.models = new BoundedValues<>(MAX_MODELS, ModelMeters::new,
                model -> UNKNOWN_MODEL.equals(model) || servedModel.test(model));
        this.classes = new BoundedValues<>(MAX_CLASSES, ClassMeters::new);
        Gauge.builder("smg.http.requests.active", active, AtomicInteger::get)
                .description("HTTP requests being served now").register(registry);
        Gauge.builder("smg.router.streams.active", streamsActive, AtomicInteger::get)
                .description("Streamed answers being relayed now").register(registry);
        this.rateAllowed = Counter.builder("smg.http.rate.limit").description("Admission decisions on inference requests")
                .tag("result", "allowed").register(registry);
        this.rateRejected = Counter.builder("smg.http.rate.limit").description("Admission decisions on inference requests")
                .tag("result", "rejected").register(registry);
        this.retryBackoff = histograms.duration("smg.worker.retry.backoff", "Delay before each retry", Tags.empty());
        for (AdmissionSection.PriorityClass c : AdmissionSection.PriorityClass.values()) {
            classes.get(c.name().toLowerCase(Locale.ROOT));
        }
        models.get(UNKNOWN_MODEL);
    }

    @Override
    public ObservedRequest begin(RequestStart start) {
        active.incrementAndGet();
        RouteMeters route = routes.get(start.route());
        int method = methodIndex(start.method());
        route.requests(method).increment();
        return new Observation(start.startNanos(), route, method);
    }

    /** One request's observation: plain fields, since its calls arrive in order on one thread. */
    private final class Observation implements ObservedRequest {
        private final long startNanos;
        private final RouteMeters route;
        private final int method;
        private ModelMeters model;
        private EndpointMeters endpoint;
        private WorkerMeters attemptWorker;
        private long firstAttemptNanos;
        private long attemptNanos;
        private long attemptEndNanos;
        private int attempts;
        private boolean retried;
        private boolean lastAttemptFailed;
        private boolean streamCounted;
        private boolean done;

        Observation(long startNanos, RouteMeters route, int method) {
            this.startNanos = startNanos;
            this.route = route;
            this.method = method;
        }

        private ModelMeters model() {
            return model != null ? model : models.get(UNKNOWN_MODEL);
        }

        @Override
        public void admitted(String tenant, String priorityClass, long queuedNanos) {
            rateAllowed.increment();
            ClassMeters c = classes.get(priorityClass);
            c.admitted.increment();
            c.queueWait.record(queuedNanos);
        }

        @Override
        public void parsed(String modelName, String kind, boolean stream) {
            ModelMeters m = models.get(modelName == null || modelName.isEmpty() ? UNKNOWN_MODEL : modelName);
            model = m;
            endpoint = m.endpoint(kind == null ? "unknown" : kind, stream);
            endpoint.requests.increment();
        }

        @Override
        public void attemptStarted(Worker worker, String policy, int attempt, Map<String, List<String>> outgoingHeaders) {
            long now = System.nanoTime();
            attemptNanos = now;
            if (attempts++ == 0) {
                firstAttemptNanos = now;
            }
            WorkerMeters w = workers.meters(worker);
            attemptWorker = w;
            if (w != null) {
                w.selection(model().model, policy == null ? "unknown" : policy).increment();
            }
        }

        @Override
        public void attemptFinished(Worker worker, int attempt, int status, UpstreamFailure.Kind failure) {
            WorkerMeters w = attemptWorker != null && attemptWorker.id.equals(worker.id()) ? attemptWorker : workers.meters(worker);
            long now = System.nanoTime();
            attemptEndNanos = now;
            if (w != null && attemptNanos != 0) {
                w.requestDuration.record(now - attemptNanos);
            }
            upstream(statusClass(status), failure == null ? 0 : failure.ordinal() + 1).increment();
            boolean failedStatus = status >= 0 && status < retryable.length && retryable[status];
            lastAttemptFailed = failure != null || failedStatus || status >= 500;
            if (w == null) {
                return;
            }
            if (failure != null) {
                w.error(failure.ordinal()).increment();
            } else if (status >= 500) {
                w.error(WorkerMeters.STATUS_5XX).increment();
            } else if (status == 429) {
                w.error(WorkerMeters.STATUS_429).increment();
            } else if (status == 408) {
                w.error(WorkerMeters.STATUS_408).increment();
            } else if (failedStatus) {
                w.error(WorkerMeters.STATUS_OTHER).increment();
            }
        }

        @Override
        public void retryScheduled(Worker failed, int attempt, long backoffMillis) {
            retried = true;
            WorkerMeters w = workers.meters(failed);
            if (w != null) {
                w.retries.increment();
            }
            retryBackoff.record(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
        }

        @Override
        public void streamResumed(Worker failed, int tokens) {
            model().streamResumptions.increment();
        }

        @Override
        public void responseStarted(int status, boolean streaming) {
            if (streaming && !streamCounted) {
                streamCounted = true;
                streamsActive.incrementAndGet();
            }
        }

        @Override
        public void generated(int streamedTokens, long firstTokenNanos, long lastTokenNanos, TokenUsage usage) {
            ModelMeters m = model();
            if (firstTokenNanos > 0) {
                m.ttft.record(firstTokenNanos - startNanos);
                if (streamedTokens > 1 && lastTokenNanos > firstTokenNanos) {
                    m.tpot.record((lastTokenNanos - firstTokenNanos) / (streamedTokens - 1));
                }
            }
            if (usage != null) {
                m.promptTokens.increment(usage.promptTokens());
                m.completionTokens.increment(usage.completionTokens());
                m.cachedTokens.increment(usage.cachedTokens());
            } else if (streamedTokens > 0) {
                m.completionTokens.increment(streamedTokens);
            }
            if (firstAttemptNanos != 0) {
                // The answer ended when its attempt did (reported just before): no second clock read.
                long end = attemptEndNanos != 0 ? attemptEndNanos : System.nanoTime();
                m.generation.record(end - firstAttemptNanos);
            }
        }

        @Override
        public void completed(int status, String errorCode) {
            if (done) {
                return;
            }
            done = true;
            long elapsed = System.nanoTime() - startNanos;
            int statusClass = statusClass(status);
            route.duration(method).record(elapsed);
            route.response(statusClass, errorCode).increment();
            if ("rate_limit_exceeded".equals(errorCode)) {
                rateRejected.increment();
            }
            if (endpoint != null) {
                endpoint.duration.record(elapsed);
                if (status >= 400) {
                    endpoint.error(errorCode != null ? errorCode
                            : status == 499 ? "client_disconnected" : "upstream_" + STATUS_CLASSES[statusClass]).increment();
                }
            }
            if (retried && lastAttemptFailed) {
                model().retriesExhausted.increment();
            }
            if (streamCounted) {
                streamsActive.decrementAndGet();
            }
            // Last, so a scrape that sees no request active sees every count of the finished ones.
            active.decrementAndGet();
        }
    }

    private Counter upstream(int statusClass, int failure) {
        int index = statusClass * FAILURE_KINDS.length + failure;
        Counter c = upstream.get(index);
        if (c == null) {
            c = Counter.builder("smg.router.upstream.responses").description("Worker answers (or failures) per attempt")
                    .tag("status_code", STATUS_CLASSES[statusClass]).tag("error_code", FAILURE_KINDS[failure])
                    .register(registry);
            upstream.set(index, c);
        }
        return c;
    }

    static int statusClass(int status) {
        if (status <= 0) {
            return 0;
        }
        int c = status / 100;
        return c >= 1 && c <= 5 ? c : 6;
    }

    static int methodIndex(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "POST" -> 1;
            case "PUT" -> 2;
            case "DELETE" -> 3;
            case "PATCH" -> 4;
            case "HEAD" -> 5;
            case "OPTIONS" -> 6;
            default -> 7;
        };
    }

    private static String[] failureKinds() {
        UpstreamFailure.Kind[] kinds = UpstreamFailure.Kind.values();
        String[] names = new String[kinds.length + 1];
        names[0] = "none";
        for (UpstreamFailure.Kind k : kinds) {
            names[k.ordinal() + 1] = k.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    /** HTTP meters of one route template. */
    private final class RouteMeters {
        private final String route;
        private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(METHODS.length);
        private final AtomicReferenceArray<Histograms.Recorder> durations = new AtomicReferenceArray<>(METHODS.length);
        private final CodeCounters answered = new CodeCounters("none");
        private final BoundedValues<CodeCounters> errors = new BoundedValues<>(MAX_ERROR_CODES, CodeCounters::new);

        RouteMeters(String route) {
            this.route = route;
        }

        Counter requests(int method) {
            Counter c = requests.get(method);
            if (c == null) {
                c = Counter.builder("smg.http.requests").description("HTTP requests received")
                        .tag("method", METHODS[method]).tag("route", route).register(registry);
                requests.set(method, c);
            }
            return c;
        }

        Histograms.Recorder duration(int method) {
            Histograms.Recorder t = durations.get(method);
            if (t == null) {
                t = histograms.duration("smg.http.request.duration", "Time from a request's arrival to the end of its answer",
                        Tags.of("method", METHODS[method], "route", route));
                durations.set(method, t);
            }
            return t;
        }

        Counter response(int statusClass, String errorCode) {
            CodeCounters code = errorCode == null ? answered : errors.get(errorCode);
            Counter c = code.byClass.get(statusClass);
            if (c == null) {
                c = Counter.builder("smg.http.responses").description("HTTP answers by status class and gateway error code")
                        .tag("route", route).tag("status_code", STATUS_CLASSES[statusClass]).tag("error_code", code.code)
                        .register(registry);
                code.byClass.set(statusClass, c);
            }
            return c;
        }
    }

    /** Response counters of one error code, by status class. */
    private static final class CodeCounters {
        final String code;
        final AtomicReferenceArray<Counter> byClass = new AtomicReferenceArray<>(STATUS_CLASSES.length);

        CodeCounters(String code) {
            this.code = code;
        }
    }

    /** Router meters of one model. */
    private final class ModelMeters {
        final String model;
        final Histograms.Recorder ttft;
        final Histograms.Recorder tpot;
        final Histograms.Recorder generation;
        final Counter promptTokens;
        final Counter completionTokens;
        final Counter cachedTokens;
        final Counter streamResumptions;
        final Counter retriesExhausted;
        private final BoundedValues<EndpointPair> endpoints;

        ModelMeters(String model) {
            this.model = model;
            Tags tags = Tags.of("model", model);
            this.ttft = histograms.duration("smg.router.ttft",
                    "Time to first token of streamed answers, from the request's arrival", tags);
            this.tpot = histograms.duration("smg.router.tpot", "Time per output token after the first, in streamed answers", tags);
            this.generation = histograms.duration("smg.router.generation.duration",
                    "Time from the first attempt's start to the answer's last byte", tags);
            this.promptTokens = tokens(tags, "prompt");
            this.completionTokens = tokens(tags, "completion");
            this.cachedTokens = tokens(tags, "cached");
            this.streamResumptions = Counter.builder("smg.router.stream.resumptions")
                    .description("Streams continued on another worker after theirs failed").tags(tags).register(registry);
            this.retriesExhausted = Counter.builder("smg.worker.retries.exhausted")
                    .description("Requests that were retried and still failed").tags(tags).register(registry);
            this.endpoints = new BoundedValues<>(MAX_ENDPOINTS, EndpointPair::new);
        }

        private Counter tokens(Tags tags, String type) {
            return Counter.builder("smg.router.tokens").description("Tokens by type: prompt, completion, cached prompt")
                    .tags(tags).tag("token_type", type).register(registry);
        }

        EndpointMeters endpoint(String kind, boolean stream) {
            EndpointPair pair = endpoints.get(kind);
            int i = stream ? 1 : 0;
            EndpointMeters e = pair.meters.get(i);
            if (e == null) {
                e = new EndpointMeters(model, pair.kind, stream);
                if (!pair.meters.compareAndSet(i, null, e)) {
                    e = pair.meters.get(i);
                }
            }
            return e;
        }

        /** The meters of one endpoint, not streamed and streamed. */
        private static final class EndpointPair {
            final String kind;
            final AtomicReferenceArray<EndpointMeters> meters = new AtomicReferenceArray<>(2);

            EndpointPair(String kind) {
                this.kind = kind;
            }
        }
    }

    /** Router meters of one (model, endpoint, streaming). */
    private final class EndpointMeters {
        final Counter requests;
        final Histograms.Recorder duration;
        private final Tags tags;
        private final BoundedValues<Counter> errors;

        EndpointMeters(String model, String endpoint, boolean stream) {
            this.tags = Tags.of("model", model, "endpoint", endpoint, "streaming", Boolean.toString(stream));
            this.requests = Counter.builder("smg.router.requests").description("Inference requests parsed and routed")
                    .tags(tags).register(registry);
            this.duration = histograms.duration("smg.router.request.duration",
                    "Time from an inference request's arrival to the end of its answer", tags);
            this.errors = new BoundedValues<>(MAX_ERROR_CODES, type -> Counter.builder("smg.router.request.errors")
                    .description("Inference requests that ended with an error status").tags(tags).tag("error_type", type)
                    .register(registry));
        }

        Counter error(String type) {
            return errors.get(type);
        }
    }

    /** Admission meters of one priority class. */
    private final class ClassMeters {
        final Counter admitted;
        final Histograms.Recorder queueWait;

        ClassMeters(String priorityClass) {
            Tags tags = Tags.of("priority_class", priorityClass);
            this.admitted = Counter.builder("smg.scheduler.admit").description("Requests admitted, by priority class")
                    .tags(tags).register(registry);
            this.queueWait = histograms.duration("smg.scheduler.queue.wait",
                    "Time from asking admission to being admitted (queueing included)", tags);
        }
    }
}
