package dev.shepherd.kernel.observe.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Duration histograms with fixed buckets: the configured duration buckets (SMG's defaults unless
 * {@code prometheus_duration_buckets} says otherwise) for request-scale times, and finer ones, from
 * 1 µs, for plugin calls that take microseconds.
 *
 * <p>On a Prometheus registry they are plain Prometheus histograms registered beside Micrometer's
 * meters (same scrape): recording is a binary search over the bounds and two {@link LongAdder}
 * updates, with no clock reads. Micrometer's {@link Timer} also keeps a decaying maximum and time
 * windows, which read the clock on every record; on this path that costs several times more. On any
 * other registry (tests) they are Micrometer timers, so they can be inspected the usual way.
 */
final class Histograms {

    /** Records durations; {@link #remove} takes the series out of the registry. */
    interface Recorder {
        void record(long nanos);

        void remove();
    }

    private static final double[] SUB_MILLISECOND = {0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005,
            0.0001, 0.00025, 0.0005};

    private final MeterRegistry registry;
    private final PrometheusRegistry prometheus;
    private final double[] durations;
    private final double[] pluginCalls;
    private final Map<String, Family> families = new ConcurrentHashMap<>();

    Histograms(MeterRegistry registry, List<Double> durationBucketsSeconds) {
        this.registry = registry;
        this.prometheus = registry instanceof PrometheusMeterRegistry p ? p.getPrometheusRegistry() : null;
        this.durations = durationBucketsSeconds.stream().mapToDouble(Double::doubleValue).toArray();
        double[] fine = Arrays.copyOf(SUB_MILLISECOND, SUB_MILLISECOND.length + durations.length);
        int n = SUB_MILLISECOND.length;
        for (double bound : durations) {
            if (bound > SUB_MILLISECOND[SUB_MILLISECOND.length - 1] && bound <= 60) {
                fine[n++] = bound;
            }
        }
        this.pluginCalls = Arrays.copyOf(fine, n);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** A request-scale histogram, in seconds. */
    Recorder duration(String name, String description, Tags tags) {
        return histogram(name, description, tags, durations);
    }

    /** A histogram of plugin call times, with buckets from 1 µs. */
    Recorder pluginCall(String name, String description, Tags tags) {
        return histogram(name, description, tags, pluginCalls);
    }

    private Recorder histogram(String name, String description, Tags tags, double[] bounds) {
        if (prometheus == null) {
            Timer timer = Timer.builder(name).description(description).tags(tags)
                    .serviceLevelObjectives(toDurations(bounds)).register(registry);
            return new Recorder() {
                @Override
                public void record(long nanos) {
                    timer.record(nanos, TimeUnit.NANOSECONDS);
                }

                @Override
                public void remove() {
                    registry.remove(timer);
                }
            };
        }
        Family family = families.computeIfAbsent(name, n -> {
            Family f = new Family(n.replace('.', '_') + "_seconds", description, bounds);
            prometheus.register(f);
            return f;
        });
        return family.child(tags);
    }

    private static Duration[] toDurations(double[] seconds) {
        Duration[] result = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            result[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return result;
    }

    /** One Prometheus histogram family: its label sets and their buckets, collected at scrape time. */
    private static final class Family implements Collector {
        private final MetricMetadata metadata;
        private final double[] upperBounds;
        private final long[] boundsNanos;
        private final Map<Labels, Child> children = new ConcurrentHashMap<>();

        Family(String name, String help, double[] boundsSeconds) {
            this.metadata = new MetricMetadata(name, help);
            this.upperBounds = Arrays.copyOf(boundsSeconds, boundsSeconds.length + 1);
            this.upperBounds[boundsSeconds.length] = Double.POSITIVE_INFINITY;
            this.boundsNanos = new long[boundsSeconds.length];
            for (int i = 0; i < boundsSeconds.length; i++) {
                boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
            }
        }

        Child child(Tags tags) {
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (Tag tag : tags) {
                names.add(tag.getKey());
                values.add(tag.getValue());
            }
            Labels labels = Labels.of(names, values);
            return children.computeIfAbsent(labels, l -> new Child(this, l));
        }

        @Override
        public MetricSnapshot collect() {
            List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>(children.size());
            for (Child child : children.values()) {
                long[] counts = new long[upperBounds.length];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = child.counts[i].sum();
                }
                points.add(new HistogramSnapshot.HistogramDataPointSnapshot(ClassicHistogramBuckets.of(upperBounds, counts),
                        child.sumNanos.sum() / 1e9, child.labels, Exemplars.EMPTY, 0L));
            }
            return new HistogramSnapshot(metadata, points);
        }
    }

    /** One label set's buckets (not cumulative; the exposition adds them up) and sum. */
    private static final class Child implements Recorder {
        private final Family family;
        private final Labels labels;
        private final LongAdder[] counts;
        private final LongAdder sumNanos = new LongAdder();

        Child(Family family, Labels labels) {
            this.family = family;
            this.labels = labels;
            this.counts = new LongAdder[family.upperBounds.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        @Override
        public void record(long nanos) {
            long value = Math.max(0, nanos);
            int i = Arrays.binarySearch(family.boundsNanos, value);
            counts[i >= 0 ? i : -i - 1].increment();
            sumNanos.add(value);
        }

        @Override
        public void remove() {
            family.children.remove(labels, this);
        }
    }
}
