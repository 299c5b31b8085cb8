package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.ParsedRequest;
import org.junit.jupiter.api.Test;

/** Only the top-level model and stream count, wherever nested look-alikes appear. */
class TopLevelFieldsTest {

    private static final String CHAT = "/v1/chat/completions";

    private final TestApi api = new TestApi();

    @Test
    void readsModelAndStreamFlag() {
        ParsedRequest parsed = api.parse(CHAT, "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(parsed.model()).isEqualTo("llama");
        assertThat(parsed.stream()).isTrue();
        assertThat(parsed.kind()).isEqualTo("chat");
        assertThat(parsed.upstreamPath()).isEqualTo(CHAT);
    }

    @Test
    void streamDefaultsToFalse() {
        assertThat(api.parse(CHAT, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}").stream()).isFalse();
        assertThat(api.parse(CHAT, "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\"}]}").stream()).isFalse();
    }

    @Test
    void ignoresNestedModelAndStreamKeysBeforeTheTopLevelOnes() {
        String body = """
                {"metadata": {"model": "nested-model", "stream": true, "deeper": {"model": "deeper"}},
                 "stream_options": {"include_usage": true, "stream": true},
                 "messages": [{"role": "user", "content": "hi", "model": "in-message", "stream": true}],
                 "tools": [{"type": "function", "function": {"name": "f", "parameters": {"properties": {"model": {"type": "string"}, "stream": {}}}}}],
                 "model": "top", "stream": false}
                """;
        ParsedRequest parsed = api.parse(CHAT, body);
        assertThat(parsed.model()).isEqualTo("top");
        assertThat(parsed.stream()).isFalse();
    }

    @Test
    void ignoresNestedModelAndStreamKeysWhenTheTopLevelHasNone() {
        String body = """
                {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi", "model": "x", "stream": true}]}],
                 "extra": [[{"model": "y"}], {"stream": true}]}
                """;
        ParsedRequest parsed = api.parse(CHAT, body);
        assertThat(parsed.model()).isEmpty();
        assertThat(parsed.stream()).isFalse();
    }

    @Test
    void ignoresNestedWrongTypedLookAlikes() {
        // Nested "model": 5 or "stream": "yes" are not the request's fields, so they are not validated either.
        ParsedRequest parsed = api.parse(CHAT, "{\"messages\":[{\"role\":\"user\",\"model\":5,\"stream\":\"yes\"}],\"model\":\"m\"}");
        assertThat(parsed.model()).isEqualTo("m");
    }

    @Test
    void lastTopLevelOccurrenceWinsAsInATree() {
        ParsedRequest parsed = api.parse(CHAT, "{\"model\":\"first\",\"stream\":true,\"messages\":[{\"role\":\"user\"}],\"model\":\"second\",\"stream\":false}");
        assertThat(parsed.model()).isEqualTo("second").isEqualTo(parsed.json().get("model").textValue());
        assertThat(parsed.stream()).isFalse();
    }

    @Test
    void decodesEscapedAndNonAsciiModelNames() {
        assertThat(api.parse(CHAT, "{\"model\":\"org\\/m\\u00e9\",\"messages\":[{\"role\":\"user\"}]}").model())
                .isEqualTo("org/mé");
    }

    @Test
    void readsStreamOnEveryInferenceEndpoint() {
        assertThat(api.parse("/v1/completions", "{\"prompt\":\"p\",\"stream\":true}").stream()).isTrue();
        assertThat(api.parse("/generate", "{\"text\":\"p\",\"stream\":true,\"sampling_params\":{\"stream\":false}}").stream()).isTrue();
        assertThat(api.parse("/v1/embeddings", "{\"input\":\"p\"}").stream()).isFalse();
    }

    @Test
    void forwardsEachKindToItsOwnPath() {
        assertThat(api.parse("/v1/completions", "{\"prompt\":\"p\"}").upstreamPath()).isEqualTo("/v1/completions");
        assertThat(api.parse("/v1/embeddings", "{\"input\":\"p\"}").upstreamPath()).isEqualTo("/v1/embeddings");
        assertThat(api.parse("/generate", "{\"text\":\"p\"}").upstreamPath()).isEqualTo("/generate");
    }
}
