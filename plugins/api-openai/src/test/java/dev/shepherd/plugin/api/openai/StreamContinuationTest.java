package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.StreamEvent;
import dev.shepherd.spi.TokenUsage;
import org.junit.jupiter.api.Test;

class StreamContinuationTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }

    @Test
    void readsTheDeltaTextOfAChatChunk() {
        StreamEvent event = StreamContinuation.event(InferenceKind.CHAT,
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" sheep\"}}]}", mapper);
        assertThat(event.text()).isEqualTo(" sheep");
        assertThat(event.usage()).isNull();
    }

    @Test
    void readsTheUsageChunkAndIgnoresDoneAndRoleOnlyEvents() {
        StreamEvent usage = StreamContinuation.event(InferenceKind.CHAT,
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":4}}}",
                mapper);
        assertThat(usage.usage()).isEqualTo(new TokenUsage(7, 3, 4));
        assertThat(StreamContinuation.event(InferenceKind.CHAT, "[DONE]", mapper)).isEqualTo(StreamEvent.EMPTY);
        assertThat(StreamContinuation.event(InferenceKind.CHAT,
                "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}", mapper)).isEqualTo(StreamEvent.EMPTY);
    }

    @Test
    void readsCompletionText() {
        assertThat(StreamContinuation.event(InferenceKind.COMPLETIONS, "{\"choices\":[{\"text\":\"abc\"}]}", mapper).text())
                .isEqualTo("abc");
    }

    @Test
    void continuesAChatAsAPartialAssistantTurnWithTheRemainingBudget() throws Exception {
        JsonNode original = json("{\"model\":\"m\",\"max_tokens\":10,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        JsonNode next = StreamContinuation.body(InferenceKind.CHAT, original, "Hello the", 2).orElseThrow();

        assertThat(next.path("max_tokens").asInt()).isEqualTo(8);
        assertThat(next.path("messages")).hasSize(2);
        assertThat(next.path("messages").get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(next.path("messages").get(1).path("content").asText()).isEqualTo("Hello the");
        assertThat(next.path("continue_final_message").asBoolean()).isTrue();
        assertThat(next.path("add_generation_prompt").asBoolean()).isFalse();
        assertThat(original.path("messages")).as("the original is untouched").hasSize(1);
    }

    @Test
    void continuesACompletionByExtendingThePrompt() throws Exception {
        JsonNode next = StreamContinuation.body(InferenceKind.COMPLETIONS,
                json("{\"prompt\":\"Once\",\"max_tokens\":5}"), " upon", 1).orElseThrow();

        assertThat(next.path("prompt").asText()).isEqualTo("Once upon");
        assertThat(next.path("max_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void cannotContinueWhenTheBudgetIsSpentOrTheKindHasNoText() throws Exception {
        assertThat(StreamContinuation.body(InferenceKind.CHAT,
                json("{\"max_tokens\":2,\"messages\":[]}"), "ab", 2)).isEmpty();
        assertThat(StreamContinuation.body(InferenceKind.EMBEDDINGS, json("{\"input\":\"x\"}"), "", 0)).isEmpty();
    }
}
