package dev.shepherd.kernel;

import dev.shepherd.kernel.admission.AdmissionController;
import dev.shepherd.kernel.admission.ClusterRateLimit;
import dev.shepherd.kernel.admission.ClusterTenantRateLimits;
import dev.shepherd.kernel.control.ControlPlane;
import dev.shepherd.kernel.manifest.Manifest;
import dev.shepherd.kernel.manifest.ResilienceSection;
import dev.shepherd.kernel.manifest.ObservabilitySection;
import dev.shepherd.kernel.observe.RequestObserver;
import dev.shepherd.kernel.observe.RequestObservers;
import dev.shepherd.kernel.observe.metrics.GatewayMetrics;
import dev.shepherd.kernel.observe.metrics.MetricsServer;
import dev.shepherd.kernel.observe.metrics.PluginCallMetrics;
import dev.shepherd.kernel.observe.logging.AccessLogObserver;
import dev.shepherd.kernel.observe.tracing.Tracing;
import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.kernel.plugin.Assembly;
import dev.shepherd.kernel.plugin.KernelServices;
import dev.shepherd.kernel.plugin.MeshAssembly;
import dev.shepherd.kernel.plugin.PluginHost;
import dev.shepherd.kernel.routing.PolicyRegistry;
import dev.shepherd.kernel.routing.Router;
import dev.shepherd.kernel.server.GatewayServer;
import dev.shepherd.kernel.state.LocalStateStore;
import dev.shepherd.kernel.worker.CircuitBreaker;
import dev.shepherd.kernel.worker.HealthChecker;
import dev.shepherd.kernel.worker.LoadMonitor;
import dev.shepherd.kernel.worker.DataParallelSizer;
import dev.shepherd.kernel.worker.ModelDiscoverer;
import dev.shepherd.kernel.worker.ProbeOwnership;
import dev.shepherd.kernel.worker.WorkerHealthSharing;
import dev.shepherd.kernel.worker.WorkerReplication;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.discovery.Discovery;
import dev.shepherd.spi.mesh.Mesh;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * A running gateway: assembles the manifest's plugins around the kernel's registry, router and
 * HTTP server, and takes them down in reverse order, draining in-flight requests first.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(10);

    private final Manifest manifest;
    private final XnioWorker ioWorker;
    private final ExecutorService blockingExecutor;
    private final ScheduledExecutorService scheduler;
    private final PluginHost plugins;
    private final Assembly assembly;
    private final HealthChecker health;
    private final WorkerRegistry registry;
    private final GatewayServer server;
    private final GatewayMetrics metrics;
    private final MetricsServer metricsServer;
    private final Tracing tracing;
    private final LoadMonitor loadMonitor;
    private final Mesh mesh;
    private final WorkerReplication workerReplication;
    private final WorkerHealthSharing healthSharing;

    private Gateway(Manifest manifest) {
        this.manifest = manifest;
        int ioThreads = manifest.server().ioThreads() > 0 ? manifest.server().ioThreads()
                : Runtime.getRuntime().availableProcessors();
        this.ioWorker = createIoWorker(ioThreads);
        ByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024);
        this.blockingExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("smg-blocking-", 0).factory());
        ScheduledThreadPoolExecutor schedulerPool = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().daemon().name("smg-scheduler-", 0).factory());
        schedulerPool.setRemoveOnCancelPolicy(true);
        this.scheduler = schedulerPool;
        this.plugins = new PluginHost(Path.of(manifest.plugins().directory()), manifest.plugins().disabled());

        AtomicReference<Map<String, Backend>> backends = new AtomicReference<>(Map.of());
        ModelDiscoverer discoverer = spec -> {
            Backend backend = backends.get().get(spec.backend());
            return backend == null
                    ? CompletableFuture.failedFuture(new IllegalArgumentException("no backend named '" + spec.backend() + "' is loaded"))
                    : backend.discoverModels(spec, DISCOVERY_TIMEOUT);
        };
        DataParallelSizer dpSizer = !manifest.routing().dpAware() ? null : spec -> {
            Backend backend = backends.get().get(spec.backend());
            return backend == null
                    ? CompletableFuture.failedFuture(new IllegalArgumentException("no backend named '" + spec.backend() + "' is loaded"))
                    : backend.dataParallelSize(spec, DISCOVERY_TIMEOUT);
        };
        this.registry = new WorkerRegistry(discoverer, manifest.health().disabled(), breakers(manifest, scheduler), dpSizer);
        PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ObservabilitySection observability = manifest.observability();
        this.metrics = observability.metricsEnabled() ? new GatewayMetrics(meterRegistry, observability) : null;
        this.tracing = Tracing.start(observability.tracing().toOptions());
        LocalStateStore localState = new LocalStateStore();
        KernelServices localServices = new KernelServices(Mappers.shared(), meterRegistry,
                tracing.tracer(), blockingExecutor, scheduler, Clock.systemUTC(),
                registry, registry, localState, Path.of("var", "data"),
                Map.of(XnioWorker.class, ioWorker, ByteBufferPool.class, buffers));
        // The mesh comes first: every other plugin is handed its replicated store.
        this.mesh = MeshAssembly.create(manifest, plugins, localServices);
        StateStore stateStore = mesh == null ? localState : mesh.stateStore();
        KernelServices services = mesh == null ? localServices : new KernelServices(localServices.objectMapper(),
                meterRegistry, localServices.tracer(), blockingExecutor, scheduler, localServices.clock(), registry,
                registry, stateStore, localServices.dataRoot(), localServices.sharedResources());
        Duration workerDrainTimeout = Duration.ofSeconds(manifest.health().drainTimeoutSecs());
        this.workerReplication = new WorkerReplication(registry, stateStore, workerDrainTimeout, scheduler);
        Assembly assembled;
        try {
            assembled = Assembly.assemble(manifest, plugins, services,
                    metrics == null ? PluginCallMetrics.disabled() : metrics.pluginCalls());
        } catch (RuntimeException e) {
            if (mesh != null) {
                mesh.close();
            }
            throw e;
        }
        this.assembly = assembled;
        backends.set(assembly.backends());
        // In a mesh each worker every node has is probed by one node, which shares what it finds.
        ProbeOwnership probeOwnership = mesh == null ? null : new ProbeOwnership(mesh::status);
        this.health = manifest.health().disabled() ? null
                : new HealthChecker(registry, assembly.backends()::get, discoverer, manifest.health(), scheduler,
                        probeOwnership == null ? url -> true
                                : url -> !workerReplication.replicates(url) || probeOwnership.test(url));
        this.healthSharing = health == null || probeOwnership == null ? null
                : new WorkerHealthSharing(registry, stateStore, workerReplication::replicates, probeOwnership,
                        health::suspect).start();
        PolicyRegistry policies = new PolicyRegistry(assembly, manifest.routing(), registry);
        Router router = new Router(registry, policies, assembly.backends(), health, manifest.resilience(),
                assembly.middleware());
        int loadInterval = manifest.routing().loadMonitorIntervalSecs();
        this.loadMonitor = loadInterval == 0 ? null : new LoadMonitor(registry, assembly.backends()::get,
                policies::anyReadsLoadReports, Duration.ofSeconds(loadInterval), scheduler);
        ControlPlane controlPlane = new ControlPlane(registry, this::isDraining, workerDrainTimeout, scheduler,
                workerReplication, mesh == null ? null : mesh::status,
                probeOwnership == null ? url -> null
                        : url -> workerReplication.replicates(url) ? probeOwnership.owner(url) : null);
        Double clusterRate = manifest.mesh().clusterRateLimitPerSecond();
        Double clusterTenantRate = manifest.mesh().clusterTenantRateLimitPerSecond();
        AdmissionController admission = new AdmissionController(manifest.admission(), scheduler, System::nanoTime,
                mesh == null || clusterRate == null ? null
                        : new ClusterRateLimit(stateStore, mesh.status().nodeId(), clusterRate, System::currentTimeMillis),
                mesh == null || clusterTenantRate == null ? null
                        : new ClusterTenantRateLimits(stateStore, mesh.status().nodeId(), clusterTenantRate,
                                System::currentTimeMillis));
        List<RequestObserver> observers = new ArrayList<>();
        if (metrics != null) {
            observers.add(metrics.observer(registry, health, admission, manifest.admission(),
                    manifest.resilience().retryableStatuses()));
        }
        observers.add(new AccessLogObserver(tracing.observer()));
        this.server = new GatewayServer(manifest.server(), ioWorker, buffers, assembly.apis(), controlPlane,
                assembly.middleware(), router, admission, new RequestObservers(observers),
                metrics != null && observability.metricsOnMainPort() ? metrics.scrapeHandler() : null);
        this.metricsServer = metrics == null ? null : metrics.server(ioWorker, buffers);
    }

    /** Assembles and starts a gateway; registers the manifest's workers and starts discovery. */
    public static Gateway start(Manifest manifest) {
        Gateway gateway = new Gateway(manifest);
        try {
            gateway.server.start();
            if (gateway.metricsServer != null) {
                gateway.metricsServer.start();
            }
            gateway.registerStaticWorkers();
            gateway.workerReplication.start();
            for (Discovery discovery : gateway.assembly.discoveries()) {
                discovery.start(gateway.registry);
            }
            LOG.info("Shepherd listening on {}:{} with policy {}", manifest.server().host(), gateway.port(),
                    manifest.routing().policy());
            return gateway;
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    /**
     * Registers the manifest's workers and waits (bounded) until each is registered, so discovery
     * plugins start with the static workers already in the registry.
     */
    private void registerStaticWorkers() {
        List<CompletableFuture<?>> registrations = new ArrayList<>();
        for (WorkerSpec spec : manifest.workers()) {
            registrations.add(registry.register(spec).toCompletableFuture().whenComplete((w, e) -> {
                if (e != null) {
                    LOG.error("could not register worker {}: {}", spec.url(), e.getMessage());
                }
            }));
        }
        try {
            CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new))
                    .get(DISCOVERY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("not every configured worker could be registered at start-up: {}", e.getMessage());
        }
    }

    public int port() {
        return server.port();
    }

    /** The port Prometheus scrapes, or -1 when metrics are off or the listener could not bind. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    public WorkerRegistry registry() {
        return registry;
    }

    /** The mesh this node belongs to, or null when it runs alone. */
    public Mesh mesh() {
        return mesh;
    }

    private boolean isDraining() {
        return server.isDraining();
    }

    /** Stops taking requests, waits up to the grace period for in-flight ones, then releases everything. */
    @Override
    public void close() {
        server.drain(Duration.ofSeconds(manifest.server().shutdownGracePeriodSecs()));
        for (Discovery discovery : assembly.discoveries()) {
            discovery.close();
        }
        if (loadMonitor != null) {
            loadMonitor.close();
        }
        if (health != null) {
            try {
                health.close();
            } catch (Exception e) {
                LOG.warn("closing health checks failed", e);
            }
        }
        workerReplication.close();
        if (healthSharing != null) {
            healthSharing.close();
        }
        assembly.close();
        if (mesh != null) {
            mesh.close(); // after the plugins that use its store; leaves the cluster gracefully
        }
        plugins.close();
        server.stop();
        if (metricsServer != null) {
            metricsServer.stop();
        }
        if (metrics != null) {
            metrics.close();
        }
        tracing.close();
        scheduler.shutdownNow();
        blockingExecutor.shutdownNow();
        ioWorker.shutdown();
        try {
            ioWorker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Shepherd stopped");
    }

    /** Makes a circuit breaker per worker with the manifest's settings, or none when they are disabled. */
    private static Supplier<CircuitBreaker> breakers(Manifest manifest, ScheduledExecutorService scheduler) {
        ResilienceSection r = manifest.resilience();
        if (r.disableCircuitBreaker()) {
            return () -> null;
        }
        CircuitBreaker.Settings settings = new CircuitBreaker.Settings(r.cbFailureThreshold(), r.cbSuccessThreshold(),
                Duration.ofSeconds(r.cbTimeoutDurationSecs()), Duration.ofSeconds(r.cbWindowDurationSecs()));
        return () -> new CircuitBreaker(settings, scheduler, System::nanoTime);
    }

    private static XnioWorker createIoWorker(int ioThreads) {
        try {
            return Xnio.getInstance(io.undertow.Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.WORKER_TASK_CORE_THREADS, 2)
                    .set(Options.WORKER_TASK_MAX_THREADS, 8)
                    .set(Options.WORKER_NAME, "smg")
                    .set(Options.TCP_NODELAY, true)
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the I/O threads", e);
        }
    }
}
