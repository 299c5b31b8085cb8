package dev.shepherd.kernel.observe.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpEndpointTest {

    @ParameterizedTest
    @CsvSource({
            "localhost:4318, http://localhost:4318/v1/traces",
            "otel-collector.observability:4318, http://otel-collector.observability:4318/v1/traces",
            "127.0.0.1:4317, http://127.0.0.1:4317/v1/traces",
            "[::1]:4318, http://[::1]:4318/v1/traces",
            "' collector:4318 ', http://collector:4318/v1/traces"})
    void smgsHostPortFormBecomesAnHttpTracesUrl(String written, String url) {
        assertThat(OtlpEndpoint.tracesUrl(written)).isEqualTo(url);
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:4318, http://127.0.0.1:4318/v1/traces",
            "http://127.0.0.1:4318/, http://127.0.0.1:4318/v1/traces",
            "https://otel.example.com, https://otel.example.com/v1/traces",
            "HTTP://collector:4318, HTTP://collector:4318/v1/traces",
            "http://collector:4318/v1/traces, http://collector:4318/v1/traces",
            "https://gateway.example/otlp/v1/traces, https://gateway.example/otlp/v1/traces"})
    void aUrlGetsTheTracesPathOnlyWhenItHasNoPath(String written, String url) {
        assertThat(OtlpEndpoint.tracesUrl(written)).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "localhost", "localhost:", ":4318", "localhost:port", "localhost:0", "localhost:70000",
            "::1:4318", "grpc://collector:4317", "http://:4318", "http://collector:4318/v1/traces?x=1", "user@host:4318"})
    void anythingElseIsRefusedWithTheFormsThatWork(String written) {
        assertThatThrownBy(() -> OtlpEndpoint.tracesUrl(written))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port");
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> OtlpEndpoint.tracesUrl(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
