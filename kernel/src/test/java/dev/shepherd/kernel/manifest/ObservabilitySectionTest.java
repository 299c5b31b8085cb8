package dev.shepherd.kernel.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservabilitySectionTest {

    @Test
    void defaultsAreSmgs() {
        ObservabilitySection o = ManifestLoader.bind(YamlTreeReader.read("t.yaml", "")).observability();

        assertThat(o.metricsEnabled()).isTrue();
        assertThat(o.prometheusHost()).isEqualTo("0.0.0.0");
        assertThat(o.prometheusPort()).isEqualTo(29000);
        assertThat(o.metricsOnMainPort()).isFalse();
        assertThat(o.prometheusDurationBuckets()).hasSize(29).startsWith(0.001).endsWith(7200.0);
    }

    @Test
    void everyKeyBinds() {
        ObservabilitySection o = ManifestLoader.bind(YamlTreeReader.read("t.yaml", """
                observability:
                  metrics_enabled: false
                  prometheus_host: 127.0.0.1
                  prometheus_port: 0
                  prometheus_duration_buckets: [1, 0.5, 0.5]
                  metrics_on_main_port: true
                """)).observability();

        assertThat(o).isEqualTo(new ObservabilitySection(false, "127.0.0.1", 0, List.of(0.5, 1.0), true));
    }

    @Test
    void badValuesStopStartUpWithTheirPath() {
        assertThatThrownBy(() -> ManifestLoader.bind(YamlTreeReader.read("t.yaml", """
                observability:
                  prometheus_port: 70000
                  prometheus_duration_buckets: [-1]
                """))).isInstanceOf(ManifestException.class).hasMessageContaining("t.yaml:1: observability")
                .hasMessageContaining("prometheus_port must be between 0 and 65535");
        assertThatThrownBy(() -> new ObservabilitySection(null, null, null, List.of(0.0), null))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> ManifestLoader.bind(YamlTreeReader.read("t.yaml", "observability: {prometheus_prot: 1}")))
                .hasMessageContaining("prometheus_prot");
    }

    @Test
    void flagsOverrideTheSection() {
        ObservabilitySection o = ManifestLoader.load(null, Map.of(
                "/observability/prometheus_port", com.fasterxml.jackson.databind.node.IntNode.valueOf(9100))).observability();

        assertThat(o.prometheusPort()).isEqualTo(9100);
    }
}
