package dev.shepherd.plugin.api.openai;

import static dev.shepherd.plugin.api.openai.JsonValueType.ARRAY;
import static dev.shepherd.plugin.api.openai.JsonValueType.NULL;
import static dev.shepherd.plugin.api.openai.JsonValueType.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The inference calls this API forwards: each with its path (the same on the client side and on the
 * worker), the fields it requires and how its routing text is read from the body.
 *
 * <p>{@code model} and {@code stream} are common to all kinds and checked by {@link RequestBodyScanner}.
 */
enum InferenceKind {

    CHAT("chat", "/v1/chat/completions",
            new BodySchema(Map.of("messages", FieldRule.anyNonEmptyArray()), List.of("messages")),
            ChatTranscript::render),

    COMPLETIONS("completions", "/v1/completions",
            new BodySchema(Map.of("prompt", FieldRule.oneOf(STRING, ARRAY)), List.of("prompt")),
            body -> PromptText.of(body.get("prompt"))),

    EMBEDDINGS("embeddings", "/v1/embeddings",
            new BodySchema(Map.of("input", FieldRule.oneOf(STRING, ARRAY)), List.of("input")),
            body -> PromptText.of(body.get("input"))),

    /**
     * SGLang's native generate. {@code input_embeds} is SGLang's third way to give the prompt, so it
     * satisfies the requirement too (it has no routing text). SGLang clients send the unused ones as
     * {@code null}, so a null counts as absent.
     */
    GENERATE("generate", "/generate",
            new BodySchema(Map.of(
                    "text", FieldRule.oneOf(STRING, ARRAY, NULL),
                    "input_ids", FieldRule.oneOf(ARRAY, NULL),
                    "input_embeds", FieldRule.oneOf(ARRAY, NULL)),
                    List.of("text", "input_ids", "input_embeds")),
            body -> {
                JsonNode text = body.get("text");
                return text != null && !text.isNull() ? PromptText.of(text) : PromptText.of(body.get("input_ids"));
            });

    private final String kind;
    private final String path;
    private final BodySchema schema;
    private final Function<JsonNode, String> routingText;

    InferenceKind(String kind, String path, BodySchema schema, Function<JsonNode, String> routingText) {
        this.kind = kind;
        this.path = path;
        this.schema = schema;
        this.routingText = routingText;
    }

    /** The kind name of {@link dev.shepherd.spi.ParsedRequest#kind()}. */
    String kind() {
        return kind;
    }

    /** The client path, and the worker path the request is forwarded to. */
    String path() {
        return path;
    }

    BodySchema schema() {
        return schema;
    }

    /** The routing text of a body of this kind; {@code body} is a JSON object. */
    String routingText(JsonNode body) {
        return routingText.apply(body);
    }
}
