package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The text prefix-aware policies route on, per kind, and its prefix property across turns. */
class RoutingTextTest {

    private final TestApi api = new TestApi();

    private String chat(String messages) {
        return api.parse("/v1/chat/completions", "{\"model\":\"m\",\"messages\":" + messages + "}").routingText();
    }

    @Test
    void chatWithStringContentIsEachRoleAndContentInOrder() {
        String text = chat("""
                [{"role": "system", "content": "You are terse."},
                 {"role": "user", "content": "Hello"}]
                """);
        assertThat(text).isEqualTo("system\nYou are terse.\nuser\nHello\n");
    }

    @Test
    void chatWithArrayContentConcatenatesTheTextParts() {
        String text = chat("""
                [{"role": "user", "content": [
                    {"type": "text", "text": "What is "},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                    {"type": "text", "text": "in this picture?"}]}]
                """);
        assertThat(text).isEqualTo("user\nWhat is in this picture?\n");
    }

    @Test
    void chatIncludesToolCallNamesAndArguments() {
        String text = chat("""
                [{"role": "user", "content": "Weather in Paris?"},
                 {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
                 {"role": "tool", "tool_call_id": "c1", "content": "18C"}]
                """);
        assertThat(text).isEqualTo("user\nWeather in Paris?\n"
                + "assistant\n\nget_weather\n{\"city\":\"Paris\"}\n"
                + "tool\n18C\n");
    }

    @Test
    void chatIncludesLegacyFunctionCalls() {
        String text = chat("""
                [{"role": "assistant", "function_call": {"name": "lookup", "arguments": "{}"}}]
                """);
        assertThat(text).isEqualTo("assistant\n\nlookup\n{}\n");
    }

    @Test
    void secondTurnStartsWithTheFirstTurn() {
        String firstTurn = chat("""
                [{"role": "system", "content": "Be brief."},
                 {"role": "user", "content": [{"type": "text", "text": "Name a colour."}]}]
                """);
        String secondTurn = chat("""
                [{"role": "system", "content": "Be brief."},
                 {"role": "user", "content": [{"type": "text", "text": "Name a colour."}]},
                 {"role": "assistant", "content": "Blue.", "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{}"}}]},
                 {"role": "user", "content": "Another?"}]
                """);
        String thirdTurn = chat("""
                [{"role": "system", "content": "Be brief."},
                 {"role": "user", "content": [{"type": "text", "text": "Name a colour."}]},
                 {"role": "assistant", "content": "Blue.", "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{}"}}]},
                 {"role": "user", "content": "Another?"},
                 {"role": "assistant", "content": "Red."},
                 {"role": "user", "content": "Thanks"}]
                """);

        assertThat(secondTurn).startsWith(firstTurn).isNotEqualTo(firstTurn);
        assertThat(thirdTurn).startsWith(secondTurn).isNotEqualTo(secondTurn);
    }

    @Test
    void completionsWithStringPromptIsThePrompt() {
        assertThat(api.parse("/v1/completions", "{\"prompt\":\"Once upon a time\"}").routingText())
                .isEqualTo("Once upon a time");
    }

    @Test
    void completionsWithArrayPromptJoinsTheElements() {
        assertThat(api.parse("/v1/completions", "{\"prompt\":[\"first\",\"second\"]}").routingText())
                .isEqualTo("first\nsecond");
        assertThat(api.parse("/v1/completions", "{\"prompt\":[101,7592,2088]}").routingText())
                .isEqualTo("101 7592 2088");
        assertThat(api.parse("/v1/completions", "{\"prompt\":[[1,2],[3]]}").routingText())
                .isEqualTo("1 2\n3");
    }

    @Test
    void longerTokenPromptStartsWithTheShorterOne() {
        String shorter = api.parse("/v1/completions", "{\"prompt\":[1,2,3]}").routingText();
        String longer = api.parse("/v1/completions", "{\"prompt\":[1,2,3,4]}").routingText();
        assertThat(longer).startsWith(shorter);
    }

    @Test
    void generateUsesTheText() {
        assertThat(api.parse("/generate", "{\"text\":\"The capital of France is\",\"sampling_params\":{\"max_new_tokens\":8}}").routingText())
                .isEqualTo("The capital of France is");
    }

    @Test
    void generateFallsBackToTheInputIds() {
        assertThat(api.parse("/generate", "{\"text\":null,\"input_ids\":[5,6,7]}").routingText()).isEqualTo("5 6 7");
    }

    @Test
    void generateWithOnlyEmbeddingsHasNoRoutingText() {
        assertThat(api.parse("/generate", "{\"input_embeds\":[[0.5]]}").routingText()).isEmpty();
    }

    @Test
    void embeddingsUseTheInput() {
        assertThat(api.parse("/v1/embeddings", "{\"input\":\"embed me\"}").routingText()).isEqualTo("embed me");
        assertThat(api.parse("/v1/embeddings", "{\"input\":[\"a\",\"b\"]}").routingText()).isEqualTo("a\nb");
    }
}
