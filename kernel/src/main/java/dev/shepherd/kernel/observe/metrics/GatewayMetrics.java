package dev.shepherd.kernel.observe.metrics;

import dev.shepherd.kernel.admission.AdmissionController;
import dev.shepherd.kernel.manifest.AdmissionSection;
import dev.shepherd.kernel.manifest.ObservabilitySection;
import dev.shepherd.kernel.observe.RequestObserver;
import dev.shepherd.kernel.worker.HealthChecker;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.spi.SpiVersion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import java.util.Set;
import org.xnio.XnioWorker;

/**
 * The gateway's metrics, assembled: the Prometheus registry with JVM and process binders and
 * {@code smg_gateway_info}, plugin-call wrappers, the request observer with its worker and admission
 * meters, and the scrape endpoint. Made by the kernel only when {@code observability.metrics_enabled}.
 */
public final class GatewayMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final ObservabilitySection config;
    private final Histograms histograms;
    private final PluginCallMetrics pluginCalls;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private WorkerMetrics workerMetrics;

    public GatewayMetrics(PrometheusMeterRegistry registry, ObservabilitySection config) {
        this.registry = registry;
        this.config = config;
        // Micrometer's default pause detector reads the clock on every timer record; the kernel's
        // histograms do not use it, and plugins' timers are cheaper without it.
        registry.config().pauseDetector(new NoPauseDetector());
        this.histograms = new Histograms(registry, config.prometheusDurationBuckets());
        this.pluginCalls = new PluginCallMetrics(histograms);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        info(registry);
    }

    private static void info(MeterRegistry registry) {
        String version = GatewayMetrics.class.getPackage().getImplementationVersion();
        Gauge.builder("smg.gateway.info", () -> 1)
                .description("Always 1; labels say which gateway build runs")
                .tag("version", version == null ? SpiVersion.CURRENT : version)
                .tag("spi_version", SpiVersion.CURRENT)
                .tag("java_version", System.getProperty("java.version", "unknown"))
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Wraps plugin products so their calls are measured. */
    public PluginCallMetrics pluginCalls() {
        return pluginCalls;
    }

    /**
     * The request observer, with the worker and admission meters it feeds on.
     *
     * @param health the health checker, null when checks are off
     */
    public RequestObserver observer(WorkerRegistry workers, HealthChecker health, AdmissionController admission,
                                    AdmissionSection admissionConfig, Set<Integer> retryableStatuses) {
        this.workerMetrics = new WorkerMetrics(histograms, workers, health);
        AdmissionMetrics.bind(registry, admission, admissionConfig);
        return new MetricsObserver(histograms, workerMetrics, workers::knowsModel, retryableStatuses);
    }

    /** {@code GET /metrics}, for the Prometheus listener and (when configured) the main port. */
    public HttpHandler scrapeHandler() {
        return new ScrapeHandler(registry);
    }

    /** The Prometheus listener, not yet started. */
    public MetricsServer server(XnioWorker ioWorker, ByteBufferPool buffers) {
        return new MetricsServer(config.prometheusHost(), config.prometheusPort(), ioWorker, buffers, scrapeHandler());
    }

    @Override
    public void close() {
        if (workerMetrics != null) {
            workerMetrics.close();
        }
        gc.close();
    }
}
