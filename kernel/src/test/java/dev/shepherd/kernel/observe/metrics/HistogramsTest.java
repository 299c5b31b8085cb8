package dev.shepherd.kernel.observe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HistogramsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Histograms histograms = new Histograms(registry, List.of(0.1, 1.0));

    @Test
    void onPrometheusEachValueLandsInTheFirstBucketAtOrAboveIt() {
        Histograms.Recorder a = histograms.duration("smg.x.duration", "x", Tags.of("worker", "a"));
        a.record(TimeUnit.MILLISECONDS.toNanos(50));
        a.record(TimeUnit.MILLISECONDS.toNanos(100));
        a.record(TimeUnit.SECONDS.toNanos(2));
        a.record(-5);

        assertThat(registry.scrape())
                .contains("# TYPE smg_x_duration_seconds histogram")
                .contains("smg_x_duration_seconds_bucket{worker=\"a\",le=\"0.1\"} 3")
                .contains("smg_x_duration_seconds_bucket{worker=\"a\",le=\"1.0\"} 3")
                .contains("smg_x_duration_seconds_bucket{worker=\"a\",le=\"+Inf\"} 4")
                .contains("smg_x_duration_seconds_count{worker=\"a\"} 4")
                .contains("smg_x_duration_seconds_sum{worker=\"a\"} 2.15")
                .doesNotContain("smg_x_duration_seconds_max");
    }

    @Test
    void aRemovedSeriesLeavesTheScrapeAndItsSiblingsStay() {
        Histograms.Recorder a = histograms.duration("smg.x.duration", "x", Tags.of("worker", "a"));
        Histograms.Recorder b = histograms.duration("smg.x.duration", "x", Tags.of("worker", "b"));
        a.record(1);
        b.record(1);

        a.remove();

        assertThat(registry.scrape()).doesNotContain("worker=\"a\"").contains("smg_x_duration_seconds_count{worker=\"b\"} 1");
        assertThat(histograms.duration("smg.x.duration", "x", Tags.of("worker", "b"))).isSameAs(b);
    }

    @Test
    void pluginCallBucketsStartAtAMicrosecond() {
        histograms.pluginCall("smg.p.duration", "p", Tags.empty()).record(700);

        assertThat(registry.scrape()).contains("smg_p_duration_seconds_bucket{le=\"1.0E-6\"} 1")
                .contains("smg_p_duration_seconds_bucket{le=\"0.1\"} 1");
    }
}
