package dev.shepherd.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A request body understood by its API. Implementations parse lazily and at most once, and are
 * immutable: {@link #withModel} returns a new instance. Not shared between threads concurrently.
 */
public interface ParsedRequest {

    /** What kind of call this is, e.g. {@code chat}, {@code completions}, {@code embeddings}, {@code generate}. */
    String kind();

    /** The requested model id; empty when the API allows none (SGLang {@code /generate}). */
    String model();

    /** True when the client asked for a server-sent-event stream. */
    boolean stream();

    /** The path to call on the worker, e.g. {@code /v1/chat/completions}. */
    String upstreamPath();

    /** The bytes to forward: the original body unless something rewrote it. */
    byte[] body();

    /** The body as a JSON tree, parsed on first use. */
    JsonNode json();

    /**
     * The text a prefix-aware policy routes on: the whole prompt in the order an engine sees it
     * (system, history, new turn) so multi-turn chats share a prefix with their earlier turns.
     */
    String routingText();

    /** A copy whose body names {@code newModel} instead (used to canonicalise aliases). */
    ParsedRequest withModel(String newModel);

    /**
     * What one event of this request's server-sent-event answer carries: generated text (a chat
     * delta's content, a completion's text) and token usage when reported. Used to resume streams
     * and to count tokens.
     *
     * @param eventData the event's {@code data:} payload
     */
    default StreamEvent streamEvent(String eventData) {
        return StreamEvent.EMPTY;
    }

    /** The token usage a complete (non-streamed) answer body reports, when it does. */
    default Optional<TokenUsage> usage(byte[] responseBody) {
        return Optional.empty();
    }

    /**
     * A request that continues this one's generation after {@code generatedText} (about
     * {@code generatedTokens} tokens) already reached the client: for chat, the text as a partial
     * assistant turn with {@code continue_final_message}; for completions, the prompt extended by it;
     * with the remaining token budget. Empty when this kind of request cannot be continued.
     */
    default Optional<ParsedRequest> continuation(String generatedText, int generatedTokens) {
        return Optional.empty();
    }
}
