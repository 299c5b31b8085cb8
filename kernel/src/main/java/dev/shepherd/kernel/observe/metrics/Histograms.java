package dev.shepherd.kernel.observe.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * Timers published as Prometheus histograms with fixed buckets: the configured duration buckets
 * (SMG's defaults unless {@code prometheus_duration_buckets} says otherwise) for request-scale times,
 * and finer ones, from 1 µs, for plugin calls that take microseconds.
 */
final class Histograms {

    private static final double[] SUB_MILLISECOND = {0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005,
            0.0001, 0.00025, 0.0005};

    private final MeterRegistry registry;
    private final Duration[] durations;
    private final Duration[] pluginCalls;

    Histograms(MeterRegistry registry, List<Double> durationBucketsSeconds) {
        this.registry = registry;
        this.durations = toDurations(durationBucketsSeconds.stream().mapToDouble(Double::doubleValue).toArray());
        double[] fine = new double[SUB_MILLISECOND.length + durationBucketsSeconds.size()];
        System.arraycopy(SUB_MILLISECOND, 0, fine, 0, SUB_MILLISECOND.length);
        int n = SUB_MILLISECOND.length;
        for (double bound : durationBucketsSeconds) {
            if (bound > SUB_MILLISECOND[SUB_MILLISECOND.length - 1] && bound <= 60) {
                fine[n++] = bound;
            }
        }
        this.pluginCalls = toDurations(java.util.Arrays.copyOf(fine, n));
    }

    MeterRegistry registry() {
        return registry;
    }

    /** A request-scale histogram, in seconds. */
    Timer duration(String name, String description, Tags tags) {
        return Timer.builder(name).description(description).tags(tags)
                .serviceLevelObjectives(durations).register(registry);
    }

    /** A histogram of plugin call times, with buckets from 1 µs. */
    Timer pluginCall(String name, String description, Tags tags) {
        return Timer.builder(name).description(description).tags(tags)
                .serviceLevelObjectives(pluginCalls).register(registry);
    }

    private static Duration[] toDurations(double[] seconds) {
        Duration[] result = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            result[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return result;
    }
}
