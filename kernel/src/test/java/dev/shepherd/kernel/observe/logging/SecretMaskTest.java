package dev.shepherd.kernel.observe.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Authorization: Bearer secret-abc123XYZ | Authorization: **** ****",
            "authorization=Bearer secret-abc123XYZ | authorization=**** ****",
            "sent bearer eyJhbGciOiJIUzI1NiJ9.e30.sig to the worker | sent bearer **** to the worker",
            "Basic dXNlcjpwYXNzd29yZA== | Basic ****",
            "api_key=secret-abc123 rest | api_key=**** rest",
            "--api-key: secret-abc123 | --api-key: ****",
            "{\"api_key\":\"secret-abc123\",\"x\":1} | {\"api_key\":\"****\",\"x\":1}",
            "{\\\"api_key\\\":\\\"secret-abc123\\\"} | {\\\"api_key\\\":\\\"****\\\"}",
            "x-api-key: secret-abc123 | x-api-key: ****",
            "X-API-KEY=secret-abc123 | X-API-KEY=****",
            "password='hunter2' | password='****'",
            "client_secret=abc | client_secret=****",
            "control_plane_api_keys=id1:ops:admin:secret-cp | control_plane_api_keys=****",
            "key sk-proj-abcdefghijklmnop1234 leaked | key sk-**** leaked"})
    void credentialsAreMasked(String line, String masked) {
        assertThat(SecretMask.mask(line)).isEqualTo(masked);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST /v1/chat/completions status=200 latency_ms=1.2",
            "prompt_tokens=12 completion_tokens=6 cached_tokens=4",
            "loaded plugin policy-basic 0.1.0",
            "loaded plugin policy-basic 0.1.0-SNAPSHOT from shepherd-plugin-policy-basic",
            "basic 0.1.0-SNAPSHOT",
            "expects a bearer token",
            "worker w1 (http://gpu1:8000) failed: connection refused",
            "routing key=abc"})
    void ordinaryLinesAreLeftAlone(String line) {
        assertThat(SecretMask.mask(line)).isSameAs(line);
    }

    @Test
    void maskingIsIdempotent() {
        String once = SecretMask.mask("Authorization: Bearer secret-abc123XYZ api_key=k1");
        assertThat(SecretMask.mask(once)).isEqualTo(once);
    }

    @Test
    void nullAndShortTextPassThrough() {
        assertThat(SecretMask.mask(null)).isNull();
        assertThat(SecretMask.mask("ok")).isEqualTo("ok");
    }
}
