package dev.shepherd.kernel.observe.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TracingOptionsTest {

    @Test
    void defaultsAreOffWithTheLocalCollectorAllSampledAsSmg() {
        TracingOptions options = TracingOptions.disabled();

        assertThat(options.enabled()).isFalse();
        assertThat(options.endpoint()).isEqualTo("localhost:4318");
        assertThat(options.tracesUrl()).isEqualTo("http://localhost:4318/v1/traces");
        assertThat(options.samplingRatio()).isEqualTo(1.0);
        assertThat(options.serviceName()).isEqualTo("smg");
        assertThat(options.exportInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void blanksTakeTheDefaults() {
        TracingOptions options = TracingOptions.of(true, " ", 0.5, "");

        assertThat(options.endpoint()).isEqualTo(TracingOptions.DEFAULT_ENDPOINT);
        assertThat(options.serviceName()).isEqualTo(TracingOptions.DEFAULT_SERVICE_NAME);
    }

    @Test
    void aSamplingRatioOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> TracingOptions.of(true, null, 1.5, null)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> TracingOptions.of(true, null, -0.1, null)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> TracingOptions.of(true, null, Double.NaN, null)).hasMessageContaining("between 0 and 1");
    }

    @Test
    void aBadEndpointIsRefusedWhenTracingIsOnOnly() {
        assertThatThrownBy(() -> TracingOptions.of(true, "nonsense", 1, null)).hasMessageContaining("host:port");
        assertThat(TracingOptions.of(false, "nonsense", 1, null).enabled()).isFalse();
    }
}
