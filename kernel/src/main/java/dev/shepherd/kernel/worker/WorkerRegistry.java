package dev.shepherd.kernel.worker;

import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import dev.shepherd.spi.worker.CircuitState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered workers. Reads are lock-free: every change publishes a new immutable
 * {@link Snapshot} (copy-on-write), so the request path reads candidate lists without copying or
 * locking. Changes are serialised on this object's monitor; they are rare next to reads.
 */
public final class WorkerRegistry implements WorkerRegistryView, WorkerRegistryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistry.class);

    private final ModelDiscoverer discoverer;
    private final boolean readyOnRegistration;
    private final Supplier<CircuitBreaker> breakers;
    private final List<Consumer<WorkerEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<CircuitListener> circuitListeners = new CopyOnWriteArrayList<>();
    /** The source of truth, guarded by this registry's monitor. */
    private final Map<String, RegisteredWorker> workers = new LinkedHashMap<>();
    /** Logical URLs ({@code url} or {@code url@rank}) of the registered workers, guarded by the monitor. */
    private final java.util.Set<String> urls = new java.util.HashSet<>();
    /** Base URL to how many of its data-parallel ranks are registered, guarded by the monitor. */
    private final Map<String, Integer> dpRanksByUrl = new HashMap<>();
    /** Asks an engine its dp size when the registry is DP-aware; null when it is not. */
    private final DataParallelSizer dpSizer;
    /** What readers see; null after a change until the next read rebuilds it (one rebuild per burst of changes). */
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /**
     * @param discoverer asks a worker for its models when a spec names none
     * @param readyOnRegistration true when health checks are off: workers serve at once
     */
    public WorkerRegistry(ModelDiscoverer discoverer, boolean readyOnRegistration) {
        this(discoverer, readyOnRegistration, () -> null);
    }

    /**
     * @param breakers makes each new worker's circuit breaker; returns null when breakers are off
     */
    public WorkerRegistry(ModelDiscoverer discoverer, boolean readyOnRegistration, Supplier<CircuitBreaker> breakers) {
        this(discoverer, readyOnRegistration, breakers, null);
    }

    /**
     * @param dpSizer non-null makes the registry DP-aware (SMG's {@code --dp-aware}): a worker whose spec
     *                names no {@code dp_rank} is registered as one logical worker per data-parallel rank
     *                of its engine, {@code dp_size} from the spec or else asked of the engine through this
     */
    public WorkerRegistry(ModelDiscoverer discoverer, boolean readyOnRegistration, Supplier<CircuitBreaker> breakers,
                          DataParallelSizer dpSizer) {
        this.discoverer = discoverer;
        this.readyOnRegistration = readyOnRegistration;
        this.breakers = breakers;
        this.dpSizer = dpSizer;
    }

    /** The published snapshot, rebuilt first if a change made it stale. */
    private Snapshot current() {
        Snapshot s = snapshot;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (snapshot == null) {
                snapshot = Snapshot.of(workers);
            }
            return snapshot;
        }
    }

    @Override
    public List<Worker> all() {
        return current().all;
    }

    @Override
    public List<Worker> forModel(String model) {
        return current().forModel(model);
    }

    /** Workers that serve {@code model} and may take a request now; all available workers for "". */
    public List<Worker> availableFor(String model) {
        return current().availableFor(model);
    }

    /** True when some registered worker (of any status) serves {@code model}. */
    public boolean knowsModel(String model) {
        return model.isEmpty() || !current().forModel(model).isEmpty();
    }

    @Override
    public Optional<Worker> get(String id) {
        return Optional.ofNullable(current().byId.get(id));
    }

    public Optional<RegisteredWorker> registered(String id) {
        return Optional.ofNullable(current().byId.get(id));
    }

    @Override
    public List<String> models() {
        return current().models;
    }

    /** Told of every circuit-breaker state change of a registered worker (metrics). */
    @FunctionalInterface
    public interface CircuitListener {
        void onTransition(RegisteredWorker worker, CircuitState from, CircuitState to);
    }

    /** Adds a listener of circuit-breaker transitions; closing the result removes it. */
    public AutoCloseable addCircuitListener(CircuitListener listener) {
        circuitListeners.add(listener);
        return () -> circuitListeners.remove(listener);
    }

    @Override
    public AutoCloseable addListener(Consumer<WorkerEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Registers a worker; when DP-aware, registers every data-parallel rank of its engine and completes
     * with rank 0. Fails with {@link IllegalStateException} when its URL is already registered.
     */
    @Override
    public CompletionStage<Worker> register(WorkerSpec spec) {
        if (conflicts(spec)) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("a worker with url " + spec.logicalUrl() + " is already registered"));
        }
        return ranks(spec).thenCompose(specs -> {
            if (!spec.models().isEmpty()) {
                return CompletableFuture.completedFuture(add(specs, initialStatus(), false));
            }
            return discoverer.discover(spec).handle((models, failure) -> {
                if (failure != null) {
                    // An unreachable worker is registered anyway, not routable until a probe succeeds and
                    // its models are known: engines often register before they finish loading.
                    LOG.warn("could not discover the models of {}: {}", spec.url(), rootMessage(failure));
                    return add(specs, WorkerStatus.PENDING, true);
                }
                return add(specs.stream().map(s -> s.withModels(models)).toList(), initialStatus(), false);
            });
        });
    }

    /** The specs of the logical workers {@code spec} stands for: one per data-parallel rank when DP-aware. */
    private CompletionStage<List<WorkerSpec>> ranks(WorkerSpec spec) {
        if (dpSizer == null || spec.dpRank() != null) {
            return CompletableFuture.completedFuture(List.of(spec));
        }
        CompletionStage<Integer> size = spec.dpSize() != null
                ? CompletableFuture.completedFuture(spec.dpSize())
                : dpSizer.dataParallelSize(spec).exceptionally(failure -> {
                    // SMG treats an engine that cannot tell as dp_size 1; it stays one (plain) worker.
                    LOG.warn("could not ask {} for its dp_size, taking 1: {}", spec.url(), rootMessage(failure));
                    return 1;
                });
        return size.thenApply(n -> {
            if (n == null || n <= 1) {
                // One rank needs no data_parallel_rank: a plain worker works with engines that know none.
                return List.of(spec);
            }
            List<WorkerSpec> specs = new ArrayList<>(n);
            for (int rank = 0; rank < n; rank++) {
                specs.add(spec.withDpRank(rank, n));
            }
            return specs;
        });
    }

    private WorkerStatus initialStatus() {
        return readyOnRegistration ? WorkerStatus.READY : WorkerStatus.PENDING;
    }

    /**
     * True when {@code spec} clashes with a registered worker: the same logical URL, or a plain worker
     * and a data-parallel rank at one base URL (the engine is either split into ranks or not).
     */
    private synchronized boolean conflicts(WorkerSpec spec) {
        if (urls.contains(spec.logicalUrl())) {
            return true;
        }
        return spec.dpRank() == null ? dpRanksByUrl.containsKey(spec.url()) : urls.contains(spec.url());
    }

    /** Adds the logical workers of one registration at once (all ranks or none); returns the first. */
    private Worker add(List<WorkerSpec> specs, WorkerStatus status, boolean modelsUnknown) {
        List<RegisteredWorker> added = new ArrayList<>(specs.size());
        synchronized (this) {
            for (WorkerSpec spec : specs) {
                if (conflicts(spec)) {
                    throw new IllegalStateException("a worker with url " + spec.logicalUrl() + " is already registered");
                }
            }
            for (WorkerSpec spec : specs) {
                added.add(addLocked(spec, status, modelsUnknown));
            }
            snapshot = null;
        }
        for (RegisteredWorker worker : added) {
            LOG.info("registered {} serving {} as {}", worker, worker.models().isEmpty() ? "any model" : worker.models(),
                    worker.status().wireName());
            publish(new WorkerEvent.Added(worker));
        }
        return added.get(0);
    }

    private RegisteredWorker addLocked(WorkerSpec spec, WorkerStatus status, boolean modelsUnknown) {
        urls.add(spec.logicalUrl());
        if (spec.dpRank() != null) {
            dpRanksByUrl.merge(spec.url(), 1, Integer::sum);
        }
        RegisteredWorker worker = new RegisteredWorker(UUID.randomUUID().toString(), spec, status);
        if (modelsUnknown) {
            worker.markNeedsDiscovery();
        }
        CircuitBreaker breaker = breakers.get();
        if (breaker != null) {
            breaker.setListener((from, to) -> onCircuitTransition(worker, from, to));
            worker.attachBreaker(breaker);
        }
        workers.put(worker.id(), worker);
        return worker;
    }

    @Override
    public boolean deregister(String workerId) {
        RegisteredWorker removed;
        synchronized (this) {
            removed = workers.remove(workerId);
            if (removed == null) {
                return false;
            }
            urls.remove(removed.logicalUrl());
            if (removed.dpRank().isPresent()) {
                dpRanksByUrl.computeIfPresent(removed.url(), (url, n) -> n <= 1 ? null : n - 1);
            }
            snapshot = null;
        }
        LOG.info("removed {}", removed);
        publish(new WorkerEvent.Removed(removed));
        return true;
    }

    /**
     * The workers registered under {@code url}: the worker itself, or every data-parallel rank of an
     * engine given its base URL; a logical {@code url@rank} names just that rank.
     */
    public List<RegisteredWorker> workersAt(String url) {
        String normalized = url;
        while (normalized.endsWith("/")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        String target = normalized;
        return current().byId.values().stream()
                .filter(w -> w.url().equals(target) || w.logicalUrl().equals(target)).toList();
    }

    /**
     * Graceful removal: the worker takes no new requests at once (draining) and leaves the registry
     * when its in-flight requests are done or {@code maxWait} has passed. Returns false for an unknown id.
     */
    public boolean drainAndRemove(String workerId, Duration maxWait, ScheduledExecutorService scheduler) {
        RegisteredWorker worker = current().byId.get(workerId);
        if (worker == null) {
            return false;
        }
        updateStatus(worker, WorkerStatus.DRAINING);
        long deadline = System.nanoTime() + maxWait.toNanos();
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (worker.inFlight() <= 0 || System.nanoTime() >= deadline) {
                deregister(workerId);
            } else {
                scheduler.schedule(check[0], 100, TimeUnit.MILLISECONDS);
            }
        };
        check[0].run();
        return true;
    }

    /** Changes a worker's status; publishes a change event when it differs. */
    public void updateStatus(RegisteredWorker worker, WorkerStatus status) {
        synchronized (this) {
            if (worker.status() == status || !workers.containsKey(worker.id())) {
                return;
            }
            worker.setStatus(status);
            snapshot = null;
        }
        LOG.info("{} is now {}", worker, status.wireName());
        publish(new WorkerEvent.Changed(worker));
    }

    private void onCircuitTransition(RegisteredWorker worker, CircuitState from, CircuitState to) {
        synchronized (this) {
            if (!workers.containsKey(worker.id())) {
                return;
            }
            snapshot = null;
        }
        LOG.warn("{} circuit {} -> {}", worker, from.wireName(), to.wireName());
        for (CircuitListener listener : circuitListeners) {
            try {
                listener.onTransition(worker, from, to);
            } catch (RuntimeException e) {
                LOG.warn("a circuit listener failed on {}", worker, e);
            }
        }
        publish(new WorkerEvent.Changed(worker));
    }

    /** Records models learned after registration (a worker that was unreachable when registered). */
    public void updateModels(RegisteredWorker worker, List<String> models) {
        synchronized (this) {
            worker.setModels(models);
            snapshot = null;
        }
        publish(new WorkerEvent.Changed(worker));
    }

    public Optional<RegisteredWorker> findByUrl(String url) {
        return current().byId.values().stream().filter(w -> w.url().equals(url)).findFirst();
    }

    public List<RegisteredWorker> registeredWorkers() {
        return List.copyOf(current().byId.values());
    }

    private void publish(WorkerEvent event) {
        for (Consumer<WorkerEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a worker listener failed on {}", event, e);
            }
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** One immutable state of the registry, with per-model lists precomputed for the request path. */
    private record Snapshot(Map<String, RegisteredWorker> byId, List<Worker> all, List<String> models,
                            Map<String, List<Worker>> byModel, Map<String, List<Worker>> availableByModel,
                            List<Worker> wildcard, List<Worker> availableWildcard, List<Worker> available) {

        static final Snapshot EMPTY = of(Map.of());

        static Snapshot of(Map<String, RegisteredWorker> byId) {
            List<Worker> all = List.copyOf(byId.values());
            LinkedHashSet<String> models = new LinkedHashSet<>();
            Map<String, List<Worker>> byModel = new HashMap<>();
            Map<String, List<Worker>> availableByModel = new HashMap<>();
            List<Worker> wildcard = new ArrayList<>();
            List<Worker> availableWildcard = new ArrayList<>();
            List<Worker> available = new ArrayList<>();
            for (Worker w : all) {
                boolean up = w.isAvailable();
                if (up) {
                    available.add(w);
                }
                if (w.models().isEmpty()) {
                    wildcard.add(w);
                    if (up) {
                        availableWildcard.add(w);
                    }
                }
                for (String m : w.models()) {
                    models.add(m);
                    byModel.computeIfAbsent(m, k -> new ArrayList<>()).add(w);
                    if (up) {
                        availableByModel.computeIfAbsent(m, k -> new ArrayList<>()).add(w);
                    }
                }
            }
            return new Snapshot(Collections.unmodifiableMap(new LinkedHashMap<>(byId)),
                    all, List.copyOf(models), withWildcards(byModel, wildcard), withWildcards(availableByModel, availableWildcard),
                    List.copyOf(wildcard), List.copyOf(availableWildcard), List.copyOf(available));
        }

        private static Map<String, List<Worker>> withWildcards(Map<String, List<Worker>> byModel, List<Worker> wildcard) {
            Map<String, List<Worker>> result = new HashMap<>();
            byModel.forEach((model, workers) -> {
                List<Worker> list = new ArrayList<>(workers);
                list.addAll(wildcard);
                result.put(model, List.copyOf(list));
            });
            return result;
        }

        List<Worker> forModel(String model) {
            if (model.isEmpty()) {
                return all;
            }
            List<Worker> list = byModel.get(model);
            return list != null ? list : wildcard;
        }

        List<Worker> availableFor(String model) {
            if (model.isEmpty()) {
                return available;
            }
            List<Worker> list = availableByModel.get(model);
            return list != null ? list : availableWildcard;
        }
    }
}
