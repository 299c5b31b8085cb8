package dev.shepherd.kernel.observe.metrics;

import dev.shepherd.kernel.worker.RegisteredWorker;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.worker.CircuitState;
import dev.shepherd.spi.worker.WorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one worker, labelled {@code worker=<url>}: made when the worker registers, read by
 * the request path without any lookup but this object's, and removed from the registry when the
 * worker leaves so no stale series remain.
 */
final class WorkerMeters {

    /** Worker error kinds: the upstream failure kinds, then failed statuses. */
    static final int STATUS_5XX = UpstreamFailure.Kind.values().length;
    static final int STATUS_429 = STATUS_5XX + 1;
    static final int STATUS_408 = STATUS_5XX + 2;
    static final int STATUS_OTHER = STATUS_5XX + 3;
    private static final String[] ERROR_TYPES = errorTypes();

    final String id;
    final String label;
    final Histograms.Recorder requestDuration;
    final Counter retries;
    private final MeterRegistry registry;
    private final Tags tags;
    private final Queue<Meter> meters = new ConcurrentLinkedQueue<>();
    private final Counter probesHealthy;
    private final Counter probesUnhealthy;
    private final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>(ERROR_TYPES.length);
    private final AtomicReferenceArray<Counter> transitions = new AtomicReferenceArray<>(9);
    /** model → policy → counter. Models arrive already bounded by the observer. */
    private final Map<String, Map<String, Counter>> selections = new ConcurrentHashMap<>();

    WorkerMeters(RegisteredWorker worker, Histograms histograms) {
        this.id = worker.id();
        // The ranks of a data-parallel engine share its URL: each keeps its own series as url@rank.
        this.label = label(worker.url()) + (worker.dpRank().isPresent() ? "@" + worker.dpRank().getAsInt() : "");
        this.registry = histograms.registry();
        this.tags = Tags.of("worker", label);
        add(Gauge.builder("smg.worker.requests.active", worker, RegisteredWorker::inFlight).strongReference(true)
                .description("Requests this worker is answering now").tags(tags).register(registry));
        add(Gauge.builder("smg.worker.health", worker, w -> w.status() == WorkerStatus.READY ? 1 : 0).strongReference(true)
                .description("1 when the worker is ready (healthy), else 0").tags(tags).register(registry));
        add(Gauge.builder("smg.worker.cb.state", worker, w -> w.circuitState().ordinal()).strongReference(true)
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open").tags(tags).register(registry));
        add(Gauge.builder("smg.worker.cb.consecutive.failures", worker, RegisteredWorker::consecutiveFailures)
                .strongReference(true).description("Failures counted toward opening the circuit now").tags(tags)
                .register(registry));
        add(Gauge.builder("smg.worker.cb.consecutive.successes", worker, RegisteredWorker::consecutiveSuccesses)
                .strongReference(true).description("Half-open successes counted toward closing the circuit now")
                .tags(tags).register(registry));
        add(FunctionCounter.builder("smg.worker.cb.outcomes", worker, RegisteredWorker::breakerSuccesses)
                .description("Request outcomes fed to the circuit breaker").tags(tags).tag("outcome", "success")
                .register(registry));
        add(FunctionCounter.builder("smg.worker.cb.outcomes", worker, RegisteredWorker::breakerFailures)
                .description("Request outcomes fed to the circuit breaker").tags(tags).tag("outcome", "failure")
                .register(registry));
        this.probesHealthy = add(Counter.builder("smg.worker.health.checks").description("Health probes by result")
                .tags(tags).tag("result", "success").register(registry));
        this.probesUnhealthy = add(Counter.builder("smg.worker.health.checks").description("Health probes by result")
                .tags(tags).tag("result", "failure").register(registry));
        this.retries = add(Counter.builder("smg.worker.retries")
                .description("Failed attempts on this worker that were retried (on another worker when one is left)")
                .tags(tags).register(registry));
        this.requestDuration = histograms.duration("smg.worker.request.duration",
                "Time of one attempt on this worker, from sending to the end of its answer", tags);
        // The four transitions SMG's state machine makes exist from the start, at 0.
        transition(CircuitState.CLOSED, CircuitState.OPEN);
        transition(CircuitState.OPEN, CircuitState.HALF_OPEN);
        transition(CircuitState.HALF_OPEN, CircuitState.CLOSED);
        transition(CircuitState.HALF_OPEN, CircuitState.OPEN);
    }

    /** A worker URL as a label: credentials, query and trailing slash removed. */
    static String label(String url) {
        String s = url;
        int scheme = s.indexOf("://");
        int at = s.indexOf('@', scheme < 0 ? 0 : scheme + 3);
        int slash = s.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (at >= 0 && (slash < 0 || at < slash)) {
            s = s.substring(0, scheme < 0 ? 0 : scheme + 3) + s.substring(at + 1);
        }
        int query = s.indexOf('?');
        if (query >= 0) {
            s = s.substring(0, query);
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    Counter probe(boolean healthy) {
        return healthy ? probesHealthy : probesUnhealthy;
    }

    Counter transition(CircuitState from, CircuitState to) {
        int index = from.ordinal() * 3 + to.ordinal();
        Counter c = transitions.get(index);
        if (c == null) {
            c = add(Counter.builder("smg.worker.cb.transitions").description("Circuit breaker state changes")
                    .tags(tags).tag("from", from.wireName()).tag("to", to.wireName()).register(registry));
            transitions.set(index, c);
        }
        return c;
    }

    Counter error(int type) {
        Counter c = errors.get(type);
        if (c == null) {
            c = add(Counter.builder("smg.worker.errors").description("Failed attempts on this worker, by kind")
                    .tags(tags).tag("error_type", ERROR_TYPES[type]).register(registry));
            errors.set(type, c);
        }
        return c;
    }

    Counter selection(String model, String policy) {
        Map<String, Counter> byPolicy = selections.get(model);
        if (byPolicy == null) {
            byPolicy = selections.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        }
        Counter c = byPolicy.get(policy);
        return c != null ? c : byPolicy.computeIfAbsent(policy, p -> add(Counter.builder("smg.worker.selection")
                .description("Times the policy chose this worker").tags(tags).tag("model", model).tag("policy", p)
                .register(registry)));
    }

    /** Takes this worker's series out of the registry. */
    void remove() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
        requestDuration.remove();
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    private static String[] errorTypes() {
        UpstreamFailure.Kind[] kinds = UpstreamFailure.Kind.values();
        String[] types = new String[kinds.length + 4];
        for (UpstreamFailure.Kind k : kinds) {
            types[k.ordinal()] = k.name().toLowerCase(java.util.Locale.ROOT);
        }
        types[STATUS_5XX] = "status_5xx";
        types[STATUS_429] = "status_429";
        types[STATUS_408] = "status_408";
        types[STATUS_OTHER] = "status_other";
        return types;
    }
}
