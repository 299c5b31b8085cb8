package dev.shepherd.spi.policy;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the worker for a request. Must be thread-safe and fast: {@link #select} runs inline on
 * I/O threads for every request and every retry, so it must not block and should not lock globally.
 */
public interface Policy {

    /**
     * Picks one of {@code candidates}: workers that serve the request's model and type and are
     * available now (ready, circuit not open), minus any that already failed this request. The list is
     * an immutable snapshot and never empty.
     *
     * @return the chosen worker, or empty to refuse (the kernel answers 503)
     */
    Optional<Worker> select(List<Worker> candidates, GatewayRequest request);

    /** Called when a request routed by this policy finished, successfully or not. */
    default void onComplete(Worker worker, GatewayRequest request, boolean success) {
    }

    /**
     * True when this policy reads {@link dev.shepherd.spi.worker.WorkerLoad#kvCacheUsage()}, the
     * workers' own load reports: the kernel polls them only while some policy in use does.
     */
    default boolean readsLoadReports() {
        return false;
    }

    /** Called when a worker leaves the registry, so per-worker state can be dropped. */
    default void onWorkerRemoved(Worker worker) {
    }
}
