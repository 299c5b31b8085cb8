package dev.shepherd.plugin.backend.openaihttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiHttpBackendConfigTest {

    /** Binds like the kernel: snake_case keys, unknown keys rejected. */
    private final ObjectMapper manifestMapper = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void missingKeysTakeTheirDefaults() {
        OpenAiHttpBackendConfig config = new OpenAiHttpBackendConfig(null, null, null, null);

        assertThat(config.maxIdleConnectionsPerWorker()).isEqualTo(64);
        assertThat(config.idleTimeoutSecs()).isEqualTo(50);
        assertThat(config.connectTimeoutSecs()).isEqualTo(10);
        assertThat(config.ioThreads()).isEqualTo(2);
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(50));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(OpenAiHttpBackendConfig.defaults()).isEqualTo(config);
    }

    @Test
    void anEmptySectionBindsToTheDefaults() throws Exception {
        assertThat(manifestMapper.readValue("{}", OpenAiHttpBackendConfig.class))
                .isEqualTo(OpenAiHttpBackendConfig.defaults());
    }

    @Test
    void bindsEveryKeyFromSnakeCase() throws Exception {
        OpenAiHttpBackendConfig config = manifestMapper.readValue("""
                {"max_idle_connections_per_worker": 8, "idle_timeout_secs": 30,
                 "connect_timeout_secs": 3, "io_threads": 4}
                """, OpenAiHttpBackendConfig.class);

        assertThat(config).isEqualTo(new OpenAiHttpBackendConfig(8, 30, 3, 4));
    }

    @Test
    void rejectsUnknownKeys() {
        assertThatThrownBy(() -> manifestMapper.readValue("{\"max_connections\": 8}", OpenAiHttpBackendConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void zeroIdleConnectionsIsAllowedAndDisablesReuse() {
        assertThat(new OpenAiHttpBackendConfig(0, null, null, null).maxIdleConnectionsPerWorker()).isZero();
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheKey() {
        assertThatThrownBy(() -> new OpenAiHttpBackendConfig(-1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_idle_connections_per_worker");
        assertThatThrownBy(() -> new OpenAiHttpBackendConfig(null, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idle_timeout_secs");
        assertThatThrownBy(() -> new OpenAiHttpBackendConfig(null, null, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect_timeout_secs");
        assertThatThrownBy(() -> new OpenAiHttpBackendConfig(null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("io_threads");
    }

    @Test
    void aBadValueInTheManifestFailsBinding() {
        assertThatThrownBy(() -> manifestMapper.readValue("{\"io_threads\": -2}", OpenAiHttpBackendConfig.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }
}
