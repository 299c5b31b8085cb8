package dev.shepherd.kernel.worker;

import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares health-check results across the mesh so that each worker every node has (one added through
 * a control plane) is probed by one node (its {@link ProbeOwnership owner}) rather than by all: the
 * owner publishes the worker's ready/not-ready status under its URL in the {@value #NAMESPACE}
 * namespace, and the other nodes apply it. Workers of one node only (its manifest's, its discovery's)
 * are not shared: that node probes them itself. Live
 * traffic failures still trigger a local probe on any node, so a node never waits for the owner to
 * stop using a worker it cannot reach.
 */
public final class WorkerHealthSharing implements AutoCloseable {

    public static final String NAMESPACE = "worker_health";
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHealthSharing.class);

    private final WorkerRegistry registry;
    private final StateStore state;
    private final Predicate<String> shared;
    private final Predicate<String> ownsProbe;
    private final Consumer<RegisteredWorker> probeLocally;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    /**
     * @param shared whether the worker at a URL is on every node, so its health can be shared
     * @param ownsProbe whether this node probes the worker at a URL
     * @param probeLocally asks the local health checker for a probe now (a worker that must learn its
     *     models before it may be ready)
     */
    public WorkerHealthSharing(WorkerRegistry registry, StateStore state, Predicate<String> shared,
                               Predicate<String> ownsProbe, Consumer<RegisteredWorker> probeLocally) {
        this.shared = shared;
        this.registry = registry;
        this.state = state;
        this.ownsProbe = ownsProbe;
        this.probeLocally = probeLocally;
    }

    public WorkerHealthSharing start() {
        subscriptions.add(registry.addListener(this::onRegistryEvent));
        subscriptions.add(state.subscribe(NAMESPACE, this::onPublished));
        return this;
    }

    private void onRegistryEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.Changed changed && changed.worker() instanceof RegisteredWorker worker) {
            WorkerStatus status = worker.status();
            if ((status == WorkerStatus.READY || status == WorkerStatus.NOT_READY) && shared.test(worker.url())
                    && ownsProbe.test(worker.url())) {
                state.put(NAMESPACE, worker.url(), status.name().getBytes(StandardCharsets.UTF_8));
            }
        } else if (event instanceof WorkerEvent.Removed removed && state.get(NAMESPACE, removed.worker().url()).isPresent()
                && ownsProbe.test(removed.worker().url())) {
            // A worker added again later must not start from what was found before.
            state.remove(NAMESPACE, removed.worker().url());
        } else if (event instanceof WorkerEvent.Added added && added.worker() instanceof RegisteredWorker worker) {
            // Adopted after the owner published: take what it found.
            state.get(NAMESPACE, worker.url()).ifPresent(value -> onPublished(worker.url(), value));
        }
    }

    private void onPublished(String url, byte[] value) {
        if (value == null || !shared.test(url) || ownsProbe.test(url)) {
            return;
        }
        registry.findByUrl(url).ifPresent(worker -> {
            WorkerStatus status;
            try {
                status = WorkerStatus.valueOf(new String(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring an unknown shared health status for {}", url);
                return;
            }
            if (worker.status() == WorkerStatus.DRAINING || worker.status() == WorkerStatus.FAILED) {
                return;
            }
            if (status == WorkerStatus.READY && worker.needsDiscovery()) {
                probeLocally.accept(worker); // the probe learns its models, then makes it ready
                return;
            }
            registry.updateStatus(worker, status);
        });
    }

    @Override
    public void close() {
        for (AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing health sharing failed", e);
            }
        }
    }
}
