package dev.shepherd.kernel.manifest;

import java.util.List;

/**
 * The {@code observability} section: Prometheus metrics, with SMG's flags and defaults.
 *
 * @param metricsEnabled the kernel's metrics at all: request observer, worker, admission and plugin-call
 *                       meters, JVM binders and the Prometheus listener (true); off only to measure
 *                       what metrics cost. Plugins keep registering their own meters either way.
 * @param prometheusHost address of the Prometheus listener ({@code 0.0.0.0})
 * @param prometheusPort port of the Prometheus listener, serving {@code GET /metrics} (29000); 0 picks
 *                       a free port (the bound one is logged)
 * @param prometheusDurationBuckets upper bounds in seconds of every {@code *_duration_seconds},
 *                                  {@code *_ttft_seconds}, {@code *_tpot_seconds} and wait histogram;
 *                                  empty for SMG's defaults (1 ms … 7200 s)
 * @param metricsOnMainPort also answer {@code GET /metrics} on the main listener (false)
 * @param tracing OpenTelemetry tracing (off)
 */
public record ObservabilitySection(Boolean metricsEnabled, String prometheusHost, Integer prometheusPort,
                                   List<Double> prometheusDurationBuckets, Boolean metricsOnMainPort,
                                   TracingSection tracing) {

    /** SMG's default buckets for duration, TTFT and TPOT histograms, in seconds. */
    public static final List<Double> DEFAULT_DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0, 45.0, 60.0, 90.0, 120.0, 180.0, 240.0, 300.0, 480.0, 900.0, 1200.0,
            1800.0, 2700.0, 3600.0, 5400.0, 7200.0);

    public ObservabilitySection {
        metricsEnabled = metricsEnabled == null || metricsEnabled;
        prometheusHost = prometheusHost == null ? "0.0.0.0" : prometheusHost;
        prometheusPort = prometheusPort == null ? 29000 : prometheusPort;
        metricsOnMainPort = metricsOnMainPort != null && metricsOnMainPort;
        tracing = tracing == null ? TracingSection.defaults() : tracing;
        if (prometheusPort < 0 || prometheusPort > 65535) {
            throw new IllegalArgumentException("prometheus_port must be between 0 and 65535, got " + prometheusPort);
        }
        if (prometheusHost.isBlank()) {
            throw new IllegalArgumentException("prometheus_host must not be blank");
        }
        if (prometheusDurationBuckets == null || prometheusDurationBuckets.isEmpty()) {
            prometheusDurationBuckets = DEFAULT_DURATION_BUCKETS;
        } else {
            for (Double bound : prometheusDurationBuckets) {
                if (bound == null || !(bound > 0) || bound.isInfinite()) {
                    throw new IllegalArgumentException("prometheus_duration_buckets must be positive finite seconds, got "
                            + bound);
                }
            }
            prometheusDurationBuckets = prometheusDurationBuckets.stream().distinct().sorted().toList();
        }
    }

    /** The section without tracing settings (tracing off). */
    public ObservabilitySection(Boolean metricsEnabled, String prometheusHost, Integer prometheusPort,
                                List<Double> prometheusDurationBuckets, Boolean metricsOnMainPort) {
        this(metricsEnabled, prometheusHost, prometheusPort, prometheusDurationBuckets, metricsOnMainPort, null);
    }
}
