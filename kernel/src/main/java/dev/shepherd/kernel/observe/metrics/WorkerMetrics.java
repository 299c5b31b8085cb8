package dev.shepherd.kernel.observe.metrics;

import dev.shepherd.kernel.worker.HealthChecker;
import dev.shepherd.kernel.worker.RegisteredWorker;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker-level metrics: the pool, each worker's load, health, probes and circuit breaker (read live
 * at scrape time or counted by registry, breaker and probe listeners), and registrations. Per-worker
 * meters appear when a worker registers and disappear when it leaves.
 */
public final class WorkerMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMetrics.class);

    private final Histograms histograms;
    private final WorkerRegistry workers;
    private final Map<String, WorkerMeters> byId = new ConcurrentHashMap<>();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private final Counter registrations;
    private final Counter deregistrations;
    /** Meters that go nowhere, for a worker that left while a request still used it. */
    private final Histograms detached = new Histograms(new CompositeMeterRegistry(),
            dev.shepherd.kernel.manifest.ObservabilitySection.DEFAULT_DURATION_BUCKETS);

    /**
     * @param health the health checker whose probes are counted; null when checks are off
     */
    WorkerMetrics(Histograms histograms, WorkerRegistry workers, HealthChecker health) {
        this.histograms = histograms;
        this.workers = workers;
        MeterRegistry registry = histograms.registry();
        for (WorkerStatus status : WorkerStatus.values()) {
            Gauge.builder("smg.worker.pool.size", workers, w -> count(w, status)).strongReference(true)
                    .description("Registered workers, by status").tag("status", status.wireName()).register(registry);
        }
        this.registrations = Counter.builder("smg.discovery.registrations")
                .description("Workers added to the registry (manifest, control plane or discovery)").register(registry);
        this.deregistrations = Counter.builder("smg.discovery.deregistrations")
                .description("Workers removed from the registry").register(registry);
        subscriptions.add(workers.addListener(this::onEvent));
        subscriptions.add(workers.addCircuitListener((worker, from, to) -> meters(worker).transition(from, to).increment()));
        if (health != null) {
            subscriptions.add(health.addProbeListener((worker, healthy) -> meters(worker).probe(healthy).increment()));
        }
        workers.registeredWorkers().forEach(w -> byId.computeIfAbsent(w.id(), id -> new WorkerMeters(w, histograms)));
    }

    private static int count(WorkerRegistry workers, WorkerStatus status) {
        int n = 0;
        for (Worker w : workers.all()) {
            if (w.status() == status) {
                n++;
            }
        }
        return n;
    }

    private void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.Added added && added.worker() instanceof RegisteredWorker worker) {
            registrations.increment();
            byId.computeIfAbsent(worker.id(), id -> new WorkerMeters(worker, histograms));
        } else if (event instanceof WorkerEvent.Removed removed) {
            deregistrations.increment();
            WorkerMeters meters = byId.remove(removed.worker().id());
            if (meters != null) {
                meters.remove();
            }
        }
    }

    /** The meters of a worker; one lookup. Null for a worker the kernel does not own (never on the request path). */
    WorkerMeters meters(Worker worker) {
        WorkerMeters found = byId.get(worker.id());
        if (found != null) {
            return found;
        }
        if (worker instanceof RegisteredWorker registered) {
            if (workers.registered(worker.id()).isPresent()) {
                return byId.computeIfAbsent(worker.id(), id -> new WorkerMeters(registered, histograms));
            }
            return new WorkerMeters(registered, detached);
        }
        return null;
    }

    @Override
    public void close() {
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing worker metrics failed", e);
            }
        }
    }
}
