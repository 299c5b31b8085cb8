package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.spi.ParsedRequest;
import dev.shepherd.spi.StreamEvent;
import dev.shepherd.spi.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An OpenAI-style request body whose {@code model} and {@code stream} were read eagerly and whose JSON
 * tree and routing text are built on first use, then kept. The body is the client's array, forwarded
 * as is; nothing here writes to it.
 *
 * <p>Like every {@link ParsedRequest}, one request is used by one thread at a time, so the caches are
 * plain fields. The tree returned by {@link #json()} is shared with later callers: read it, do not
 * change it (rewrite through {@link #withModel} or build a new body instead).
 */
final class OpenAiParsedRequest implements ParsedRequest {

    private final InferenceKind kind;
    private final String model;
    private final boolean stream;
    private final byte[] body;
    private final ObjectMapper objectMapper;
    private JsonNode json;
    private String routingText;

    OpenAiParsedRequest(InferenceKind kind, String model, boolean stream, byte[] body, ObjectMapper objectMapper) {
        this(kind, model, stream, body, objectMapper, null, null);
    }

    private OpenAiParsedRequest(InferenceKind kind, String model, boolean stream, byte[] body,
                                ObjectMapper objectMapper, JsonNode json, String routingText) {
        this.kind = kind;
        this.model = model;
        this.stream = stream;
        this.body = body;
        this.objectMapper = objectMapper;
        this.json = json;
        this.routingText = routingText;
    }

    @Override
    public String kind() {
        return kind.kind();
    }

    /** The top-level {@code model}; "" when the client sent none (see {@link OpenAiRequestParser#parse}). */
    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    @Override
    public String upstreamPath() {
        return kind.path();
    }

    /** The original bytes, not a copy: copying every body would cost the hot path for nothing. */
    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public JsonNode json() {
        if (json == null) {
            json = readTree(body);
        }
        return json;
    }

    @Override
    public String routingText() {
        if (routingText == null) {
            routingText = kind.routingText(json());
        }
        return routingText;
    }

    /**
     * Sets the top-level {@code model} in a rewritten copy of the body; the other fields keep their
     * order and values (re-serialised by the shared mapper, so equal as JSON rather than byte for byte).
     * Adds the field when the body had none. This request and its tree are left unchanged.
     */
    @Override
    public ParsedRequest withModel(String newModel) {
        Objects.requireNonNull(newModel, "newModel");
        // A cached tree is shared with earlier callers, so copy it; otherwise a fresh tree is ours to change.
        ObjectNode rewritten = json != null ? (ObjectNode) json.deepCopy() : (ObjectNode) readTree(body);
        rewritten.put("model", newModel);
        byte[] rewrittenBody;
        try {
            rewrittenBody = objectMapper.writeValueAsBytes(rewritten);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
        // The routing text does not depend on the model, so it carries over.
        return new OpenAiParsedRequest(kind, newModel, stream, rewrittenBody, objectMapper, rewritten, routingText);
    }

    @Override
    public StreamEvent streamEvent(String eventData) {
        return StreamContinuation.event(kind, eventData, objectMapper);
    }

    @Override
    public Optional<TokenUsage> usage(byte[] responseBody) {
        try {
            return StreamContinuation.usage(objectMapper.readTree(responseBody));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<ParsedRequest> continuation(String generatedText, int generatedTokens) {
        return StreamContinuation.body(kind, json(), generatedText, generatedTokens).map(rewritten -> {
            try {
                return new OpenAiParsedRequest(kind, model, stream, objectMapper.writeValueAsBytes(rewritten),
                        objectMapper, rewritten, null);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise a JSON tree", e);
            }
        });
    }

    private JsonNode readTree(byte[] bytes) {
        try {
            // The scanner already accepted this body as one JSON object, so this cannot fail on client input.
            return objectMapper.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("a body the scanner accepted failed to parse as a tree", e);
        }
    }

    @Override
    public String toString() {
        return "OpenAiParsedRequest[kind=" + kind.kind() + ", model=" + model + ", stream=" + stream
                + ", bytes=" + body.length + "]";
    }
}
