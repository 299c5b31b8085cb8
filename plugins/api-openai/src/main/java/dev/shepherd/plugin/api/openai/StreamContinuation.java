package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import dev.shepherd.spi.StreamEvent;
import dev.shepherd.spi.TokenUsage;

/**
 * Stream resumption for chat and completions: reads the generated text out of stream events, and
 * builds the request that continues a generation on another engine — the text as a partial
 * assistant turn ({@code continue_final_message}, as vLLM and SGLang accept) for chat, the prompt
 * extended by the text for completions — with the token budget reduced by what was delivered.
 */
final class StreamContinuation {

    private StreamContinuation() {
    }

    /** The text and usage one SSE event's data carries (nothing for [DONE] and role-only events). */
    static StreamEvent event(InferenceKind kind, String eventData, ObjectMapper mapper) {
        if (eventData.isEmpty() || eventData.charAt(0) != '{') {
            return StreamEvent.EMPTY;
        }
        try {
            JsonNode event = mapper.readTree(eventData);
            JsonNode choice = event.path("choices").path(0);
            JsonNode text = kind == InferenceKind.CHAT ? choice.path("delta").path("content") : choice.path("text");
            TokenUsage usage = usage(event).orElse(null);
            String delta = text.isTextual() ? text.asText() : "";
            return delta.isEmpty() && usage == null ? StreamEvent.EMPTY : new StreamEvent(delta, usage);
        } catch (IOException e) {
            return StreamEvent.EMPTY;
        }
    }

    /** OpenAI's {@code usage} object, with {@code prompt_tokens_details.cached_tokens} when present. */
    static Optional<TokenUsage> usage(JsonNode answer) {
        JsonNode usage = answer.path("usage");
        if (!usage.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new TokenUsage(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong()));
    }

    /** The continuation body, or empty for kinds that cannot be continued or a budget already spent. */
    static Optional<ObjectNode> body(InferenceKind kind, JsonNode original, String generated, int generatedTokens) {
        if (kind != InferenceKind.CHAT && kind != InferenceKind.COMPLETIONS) {
            return Optional.empty();
        }
        ObjectNode body = original.deepCopy();
        for (String budget : new String[] {"max_tokens", "max_completion_tokens"}) {
            if (body.has(budget) && body.get(budget).canConvertToInt()) {
                int remaining = body.get(budget).asInt() - generatedTokens;
                if (remaining <= 0) {
                    return Optional.empty();
                }
                body.put(budget, remaining);
            }
        }
        if (kind == InferenceKind.CHAT) {
            if (!body.path("messages").isArray()) {
                return Optional.empty();
            }
            ObjectNode partial = body.withArray("messages").addObject();
            partial.put("role", "assistant");
            partial.put("content", generated);
            body.put("continue_final_message", true);
            body.put("add_generation_prompt", false);
        } else {
            JsonNode prompt = body.path("prompt");
            if (!prompt.isTextual()) {
                return Optional.empty();
            }
            body.put("prompt", prompt.asText() + generated);
        }
        return Optional.of(body);
    }
}
