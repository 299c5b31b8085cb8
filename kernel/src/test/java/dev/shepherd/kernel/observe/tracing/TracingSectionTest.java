package dev.shepherd.kernel.observe.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.kernel.manifest.TracingSection;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest's {@code observability.tracing} keys, as the manifest binder reads them. */
class TracingSectionTest {

    private static TracingSection bind(Map<String, Object> keys) {
        return Mappers.binding().convertValue(keys, TracingSection.class);
    }

    @Test
    void defaultsAreOffLocalCollectorAllSampledServiceSmg() {
        TracingSection section = bind(Map.of());

        assertThat(section).isEqualTo(new TracingSection(false, "localhost:4318", 1.0, "smg"));
        assertThat(section.toOptions().enabled()).isFalse();
    }

    @Test
    void everyKeyMapsToTheTracingOptions() {
        TracingSection section = bind(Map.of("enabled", true, "otlp_traces_endpoint", "http://collector:4318",
                "sampling_ratio", 0.25, "service_name", "gateway-eu"));

        TracingOptions options = section.toOptions();
        assertThat(options.enabled()).isTrue();
        assertThat(options.tracesUrl()).isEqualTo("http://collector:4318/v1/traces");
        assertThat(options.samplingRatio()).isEqualTo(0.25);
        assertThat(options.serviceName()).isEqualTo("gateway-eu");
    }

    @Test
    void unknownKeysAndBadValuesAreRefused() {
        assertThatThrownBy(() -> bind(Map.of("endpoint", "x:1"))).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> bind(Map.of("sampling_ratio", 2.0))).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> bind(Map.of("enabled", true, "otlp_traces_endpoint", "collector")))
                .hasMessageContaining("host:port");
    }
}
