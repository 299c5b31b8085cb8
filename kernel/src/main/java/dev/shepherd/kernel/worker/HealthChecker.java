package dev.shepherd.kernel.worker;

import dev.shepherd.kernel.manifest.HealthSection;
import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.backend.ProbeResult;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks, with SMG's thresholds: a new worker is probed at once and serves after its
 * first good probe; a ready worker stops serving after {@code failure_threshold} consecutive failed
 * probes and serves again after {@code success_threshold} good ones. Live traffic that cannot even
 * connect to a worker triggers an immediate probe, so a dead worker is noticed within one probe
 * timeout rather than one interval.
 */
public final class HealthChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final WorkerRegistry registry;
    private final Function<String, Backend> backends;
    private final ModelDiscoverer discoverer;
    private final HealthSection config;
    private final ScheduledExecutorService scheduler;
    private final Map<String, ProbeState> states = new ConcurrentHashMap<>();
    private final java.util.List<ProbeListener> probeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;
    private final java.util.function.Predicate<String> probesHere;

    public HealthChecker(WorkerRegistry registry, Function<String, Backend> backends, ModelDiscoverer discoverer,
                         HealthSection config, ScheduledExecutorService scheduler) {
        this(registry, backends, discoverer, config, scheduler, url -> true);
    }

    /**
     * @param probesHere whether this node's periodic probes cover the worker at a URL (in a mesh,
     *     another node may own it); probes after live-traffic failures always run here
     */
    public HealthChecker(WorkerRegistry registry, Function<String, Backend> backends, ModelDiscoverer discoverer,
                         HealthSection config, ScheduledExecutorService scheduler,
                         java.util.function.Predicate<String> probesHere) {
        this.probesHere = probesHere;
        this.registry = registry;
        this.backends = backends;
        this.discoverer = discoverer;
        this.config = config;
        this.scheduler = scheduler;
        this.subscription = registry.addListener(this::onRegistryEvent);
        registry.registeredWorkers().forEach(this::track);
    }

    private void onRegistryEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.Added added) {
            track((RegisteredWorker) added.worker());
        } else if (event instanceof WorkerEvent.Removed removed) {
            ProbeState state = states.remove(removed.worker().id());
            if (state != null) {
                state.schedule.cancel(false);
            }
        }
    }

    private void track(RegisteredWorker worker) {
        ProbeState state = new ProbeState(worker);
        if (states.putIfAbsent(worker.id(), state) == null) {
            long interval = config.checkIntervalSecs() * 1000L;
            state.schedule = scheduler.scheduleWithFixedDelay(() -> {
                if (probesHere.test(worker.url())) {
                    probe(state);
                }
            }, 0, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** Told the result of every probe (metrics). */
    @FunctionalInterface
    public interface ProbeListener {
        void onProbe(RegisteredWorker worker, boolean healthy);
    }

    /** Adds a listener of probe results; closing the result removes it. */
    public AutoCloseable addProbeListener(ProbeListener listener) {
        probeListeners.add(listener);
        return () -> probeListeners.remove(listener);
    }

    /** Live traffic could not reach the worker: probe it now instead of waiting for the next round. */
    public void suspect(RegisteredWorker worker) {
        ProbeState state = states.get(worker.id());
        if (state != null && !state.probing.get()) {
            scheduler.execute(() -> probe(state));
        }
    }

    private void probe(ProbeState state) {
        if (!state.probing.compareAndSet(false, true)) {
            return;
        }
        RegisteredWorker worker = state.worker;
        Backend backend = backends.apply(worker.backend());
        if (backend == null) {
            state.probing.set(false);
            LOG.warn("{} names backend '{}', which is not loaded", worker, worker.backend());
            return;
        }
        backend.probe(worker, config.endpoint(), Duration.ofSeconds(config.checkTimeoutSecs()))
                .whenComplete((result, failure) -> {
                    try {
                        record(state, failure == null ? result : new ProbeResult(false, String.valueOf(failure)));
                    } finally {
                        state.probing.set(false);
                    }
                });
    }

    private synchronized void record(ProbeState state, ProbeResult result) {
        RegisteredWorker worker = state.worker;
        worker.setLastProbe(result.detail());
        for (ProbeListener listener : probeListeners) {
            try {
                listener.onProbe(worker, result.healthy());
            } catch (RuntimeException e) {
                LOG.warn("a probe listener failed on {}", worker, e);
            }
        }
        if (result.healthy()) {
            state.failures = 0;
            state.successes++;
        } else {
            state.successes = 0;
            state.failures++;
        }
        WorkerStatus next = nextStatus(worker.status(), state);
        if (next == WorkerStatus.READY && worker.needsDiscovery()) {
            // Registered while unreachable: learn its models before it may take traffic.
            discoverer.discover(worker.spec()).whenComplete((models, failure) -> {
                if (failure == null && !models.isEmpty()) {
                    registry.updateModels(worker, models);
                    registry.updateStatus(worker, WorkerStatus.READY);
                }
            });
            return;
        }
        if (next != worker.status()) {
            if (!result.healthy()) {
                LOG.warn("{} failed {} health probe(s) in a row: {}", worker, state.failures, result.detail());
            }
            registry.updateStatus(worker, next);
        }
    }

    private WorkerStatus nextStatus(WorkerStatus current, ProbeState state) {
        return switch (current) {
            case PENDING -> state.successes >= 1 ? WorkerStatus.READY : WorkerStatus.PENDING;
            case READY -> state.failures >= config.failureThreshold() ? WorkerStatus.NOT_READY : WorkerStatus.READY;
            case NOT_READY -> state.successes >= config.successThreshold() ? WorkerStatus.READY : WorkerStatus.NOT_READY;
            case FAILED, DRAINING -> current;
        };
    }

    @Override
    public void close() throws Exception {
        subscription.close();
        states.values().forEach(s -> s.schedule.cancel(false));
    }

    /** Probe bookkeeping of one worker; counters are only touched under the checker's lock. */
    private static final class ProbeState {
        final RegisteredWorker worker;
        volatile ScheduledFuture<?> schedule;
        final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();
        int successes;
        int failures;

        ProbeState(RegisteredWorker worker) {
            this.worker = worker;
        }
    }
}
