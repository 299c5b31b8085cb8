package dev.shepherd.kernel.worker;

import dev.shepherd.spi.backend.Backend;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every worker's own load report (KV-cache usage) through its backend, as SMG's load monitor
 * does, so cache- and load-aware policies see the engines' memory pressure. Polls only while some
 * policy in use reads the reports, and never more than one at a time per worker, so a slow worker
 * costs one pending poll rather than a pile of them.
 */
public final class LoadMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadMonitor.class);

    private final WorkerRegistry registry;
    private final Function<String, Backend> backends;
    private final BooleanSupplier wanted;
    private final Duration timeout;
    private final Map<String, Boolean> polling = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> schedule;

    /**
     * @param wanted whether any policy in use reads load reports now
     * @param interval time between two rounds of polls; each poll may take up to this long
     */
    public LoadMonitor(WorkerRegistry registry, Function<String, Backend> backends, BooleanSupplier wanted,
                       Duration interval, ScheduledExecutorService scheduler) {
        this.registry = registry;
        this.backends = backends;
        this.wanted = wanted;
        this.timeout = interval;
        this.schedule = scheduler.scheduleWithFixedDelay(this::pollAll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One round: a poll for every registered worker that has none pending. */
    void pollAll() {
        if (!wanted.getAsBoolean()) {
            return;
        }
        for (RegisteredWorker worker : registry.registeredWorkers()) {
            Backend backend = backends.apply(worker.backend());
            if (backend == null || polling.putIfAbsent(worker.id(), Boolean.TRUE) != null) {
                continue;
            }
            try {
                backend.reportLoad(worker, timeout).whenComplete((report, error) -> {
                    polling.remove(worker.id());
                    if (error != null) {
                        LOG.debug("load report of {} failed: {}", worker.url(), error.toString());
                    } else {
                        report.ifPresent(worker::loadReported);
                    }
                });
            } catch (RuntimeException e) {
                polling.remove(worker.id());
                LOG.warn("backend {} failed to ask {} for its load", worker.backend(), worker.url(), e);
            }
        }
    }

    @Override
    public void close() {
        schedule.cancel(false);
    }
}
