package dev.shepherd.kernel.observe.metrics;

import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.policy.Policy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;

/**
 * Measures calls into plugin products: the kernel wraps each product it creates so every call counts
 * in {@code smg_plugin_calls_total{plugin,extension,method,outcome}} and its time lands in
 * {@code smg_plugin_call_duration_seconds{plugin,extension,method}}. A wrapper costs two
 * {@link System#nanoTime()} reads and two meter updates per call; meters are made when the product is.
 *
 * <p>For asynchronous methods the time is the plugin's own: {@code Backend.call} until it returns
 * (the answer's latency is {@code smg_worker_request_duration_seconds}); probes and model discovery
 * until their stage completes.
 */
public class PluginCallMetrics {

    private static final PluginCallMetrics DISABLED = new PluginCallMetrics(null);

    private final Histograms histograms;

    PluginCallMetrics(Histograms histograms) {
        this.histograms = histograms;
    }

    /** Leaves products unwrapped (metrics off). */
    public static PluginCallMetrics disabled() {
        return DISABLED;
    }

    /** The policy, measured. */
    public Policy measure(Policy policy, String plugin, String extension) {
        if (histograms == null || policy == null) {
            return policy;
        }
        return new MeasuredPolicy(policy, meter(plugin, extension, "select", "ok", "none"));
    }

    /** The backend, measured. */
    public Backend measure(Backend backend, String plugin, String extension) {
        if (histograms == null || backend == null) {
            return backend;
        }
        return new MeasuredBackend(backend, meter(plugin, extension, "call", "ok", null),
                meter(plugin, extension, "probe", "healthy", "unhealthy"),
                meter(plugin, extension, "discover_models", "ok", null));
    }

    private CallMeter meter(String plugin, String extension, String method, String okOutcome, String emptyOutcome) {
        Tags tags = Tags.of("plugin", plugin, "extension", extension, "method", method);
        Histograms.Recorder duration = histograms.pluginCall("smg.plugin.call.duration", "Time spent in a plugin product's method", tags);
        Counter ok = outcome(tags, okOutcome);
        Counter empty = emptyOutcome == null ? ok : outcome(tags, emptyOutcome);
        return new CallMeter(duration, ok, empty, outcome(tags, "error"));
    }

    private Counter outcome(Tags tags, String outcome) {
        return Counter.builder("smg.plugin.calls").description("Calls into plugin products, by outcome")
                .tags(tags).tag("outcome", outcome).register(histograms.registry());
    }

    /** The meters of one method of one product. */
    record CallMeter(Histograms.Recorder duration, Counter ok, Counter empty, Counter error) {
        void record(long startNanos, Counter outcome) {
            duration.record(System.nanoTime() - startNanos);
            outcome.increment();
        }
    }
}
