package dev.shepherd.kernel.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the workers added and removed through the control plane the same on every gateway node:
 * the control plane publishes each worker's spec under its URL in the {@value #NAMESPACE}
 * namespace of the state store, and every node (this one included) reconciles its registry with
 * what it hears. Without a mesh the store is local and reconciling finds nothing to do, so one code
 * path serves both cases. Workers from the manifest or from discovery are each node's own and are
 * not published.
 */
public final class WorkerReplication implements AutoCloseable {

    public static final String NAMESPACE = "workers";
    private static final Logger LOG = LoggerFactory.getLogger(WorkerReplication.class);

    private final WorkerRegistry registry;
    private final StateStore state;
    private final Duration drainTimeout;
    private final ScheduledExecutorService scheduler;
    private AutoCloseable subscription;

    public WorkerReplication(WorkerRegistry registry, StateStore state, Duration drainTimeout,
                             ScheduledExecutorService scheduler) {
        this.registry = registry;
        this.state = state;
        this.drainTimeout = drainTimeout;
        this.scheduler = scheduler;
    }

    /** Subscribes, then adopts what the store already holds. */
    public WorkerReplication start() {
        subscription = state.subscribe(NAMESPACE, this::reconcile);
        state.entries(NAMESPACE).forEach(this::reconcile);
        return this;
    }

    /** A worker was added here: tell the other nodes. Call once the local registration succeeded. */
    public void published(WorkerSpec spec) {
        try {
            state.put(NAMESPACE, spec.url(), Mappers.binding().writeValueAsBytes(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode worker " + spec.url(), e);
        }
    }

    /** Whether the worker at {@code url} was added through a control plane and so exists on every node. */
    public boolean replicates(String url) {
        return state.get(NAMESPACE, url).isPresent();
    }

    /** A worker was removed here: tell the other nodes. */
    public void withdrawn(String url) {
        state.remove(NAMESPACE, url);
    }

    private void reconcile(String url, byte[] value) {
        if (value == null) {
            registry.findByUrl(url).filter(w -> w.status() != WorkerStatus.DRAINING).ifPresent(w -> {
                LOG.info("worker {} was removed on another gateway node", url);
                registry.drainAndRemove(w.id(), drainTimeout, scheduler);
            });
            return;
        }
        if (registry.findByUrl(url).isPresent()) {
            return; // ours, or already adopted
        }
        WorkerSpec spec;
        try {
            spec = Mappers.binding().readValue(value, WorkerSpec.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring an unreadable replicated worker {}: {}", url, e.getMessage());
            return;
        }
        LOG.info("adopting worker {} added on another gateway node", url);
        registry.register(spec).whenComplete((w, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause != null && !(cause instanceof IllegalStateException)) {
                LOG.warn("could not adopt replicated worker {}: {}", url, cause.getMessage());
            }
        });
    }

    @Override
    public void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing worker replication failed", e);
            }
        }
    }
}
