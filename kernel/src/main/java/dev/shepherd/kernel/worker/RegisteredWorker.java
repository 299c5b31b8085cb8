package dev.shepherd.kernel.worker;

import dev.shepherd.spi.backend.LoadReport;
import dev.shepherd.spi.worker.CircuitState;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerLoad;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerStatus;
import dev.shepherd.spi.worker.WorkerType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The kernel's record of one worker: its fixed identity plus live status and load. Status fields are
 * written by the registry and health checker; load counters by the router; all lock-free.
 */
public final class RegisteredWorker implements Worker, WorkerLoad {

    private final String id;
    private final WorkerSpec spec;
    private volatile List<String> models;
    private volatile WorkerStatus status;
    private volatile CircuitBreaker breaker;
    private volatile double kvCacheUsage = -1;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong queuedPromptTokens = new AtomicLong();
    private final LongAdder routedRequests = new LongAdder();
    private final LongAdder failedRequests = new LongAdder();
    private final LongAdder breakerSuccesses = new LongAdder();
    private final LongAdder breakerFailures = new LongAdder();
    private volatile String lastProbe = "";
    private volatile boolean needsDiscovery;

    RegisteredWorker(String id, WorkerSpec spec, WorkerStatus initialStatus) {
        this.id = id;
        this.spec = spec;
        this.models = spec.models();
        this.status = initialStatus;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String url() {
        return spec.url();
    }

    @Override
    public OptionalInt dpRank() {
        Integer rank = spec.dpRank();
        return rank == null ? OptionalInt.empty() : OptionalInt.of(rank);
    }

    /** {@code url@rank} for one rank of a data-parallel engine, else the URL: unique in the registry. */
    public String logicalUrl() {
        return spec.logicalUrl();
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public WorkerType type() {
        return spec.type();
    }

    @Override
    public String backend() {
        return spec.backend();
    }

    @Override
    public Map<String, String> labels() {
        return spec.labels();
    }

    @Override
    public Optional<String> apiKey() {
        return Optional.ofNullable(spec.apiKey());
    }

    @Override
    public int priority() {
        return spec.priority();
    }

    @Override
    public double cost() {
        return spec.cost();
    }

    @Override
    public WorkerStatus status() {
        return status;
    }

    @Override
    public CircuitState circuitState() {
        CircuitBreaker b = breaker;
        return b == null ? CircuitState.CLOSED : b.state();
    }

    /** Feeds the outcome of a request to the worker's circuit breaker, if it has one. */
    public void recordOutcome(boolean success) {
        CircuitBreaker b = breaker;
        if (b != null) {
            if (success) {
                breakerSuccesses.increment();
                b.recordSuccess();
            } else {
                breakerFailures.increment();
                b.recordFailure();
            }
        }
    }

    /** Outcomes fed to the circuit breaker so far: successes (metrics). */
    public long breakerSuccesses() {
        return breakerSuccesses.sum();
    }

    /** Outcomes fed to the circuit breaker so far: failures (metrics). */
    public long breakerFailures() {
        return breakerFailures.sum();
    }

    /** The breaker's current run of failures (0 without a breaker). */
    public int consecutiveFailures() {
        CircuitBreaker b = breaker;
        return b == null ? 0 : b.consecutiveFailures();
    }

    /** The breaker's current run of half-open successes (0 without a breaker). */
    public int consecutiveSuccesses() {
        CircuitBreaker b = breaker;
        return b == null ? 0 : b.consecutiveSuccesses();
    }

    void attachBreaker(CircuitBreaker circuitBreaker) {
        this.breaker = circuitBreaker;
    }

    @Override
    public WorkerLoad load() {
        return this;
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public long queuedPromptTokens() {
        return queuedPromptTokens.get();
    }

    @Override
    public double kvCacheUsage() {
        return kvCacheUsage;
    }

    public WorkerSpec spec() {
        return spec;
    }

    public long routedRequests() {
        return routedRequests.sum();
    }

    public long failedRequests() {
        return failedRequests.sum();
    }

    public String lastProbe() {
        return lastProbe;
    }

    /** A request was sent to this worker. */
    public void requestStarted() {
        inFlight.incrementAndGet();
        routedRequests.increment();
    }

    /** A request sent to this worker finished. */
    public void requestFinished(boolean success) {
        inFlight.decrementAndGet();
        if (!success) {
            failedRequests.increment();
        }
    }

    /**
     * A request with about {@code promptTokens} prompt tokens was sent and waits for its first byte:
     * work the worker has queued (prefill), which load-aware policies weigh beside in-flight counts.
     */
    public void promptQueued(long promptTokens) {
        queuedPromptTokens.addAndGet(promptTokens);
    }

    /** That request's answer started (or the attempt ended): its prompt is no longer queued. */
    public void promptDone(long promptTokens) {
        queuedPromptTokens.addAndGet(-promptTokens);
    }

    /** The worker's latest own report; only its KV-cache usage is kept (routing reads it). */
    public void loadReported(LoadReport report) {
        this.kvCacheUsage = report.kvCacheUsage();
    }

    void setStatus(WorkerStatus newStatus) {
        this.status = newStatus;
    }

    void setModels(List<String> newModels) {
        this.models = List.copyOf(newModels);
        this.needsDiscovery = false;
    }

    /** True while the worker's models are unknown because it could not be asked at registration. */
    public boolean needsDiscovery() {
        return needsDiscovery;
    }

    void markNeedsDiscovery() {
        this.needsDiscovery = true;
    }

    void setLastProbe(String detail) {
        this.lastProbe = detail;
    }

    @Override
    public String toString() {
        return "worker " + id + " (" + spec.logicalUrl() + ")";
    }
}
