package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders a chat request's messages as the routing text of a prefix-aware policy: the conversation in
 * the order a chat template lays it out, one block per message:
 *
 * <pre>
 * role "\n" content ("\n" tool-name "\n" tool-arguments)* "\n"
 * </pre>
 *
 * where content is a string content, or the concatenated {@code text} of an array content's parts
 * (images and audio contribute nothing), and the tool calls are those of {@code tool_calls} (and the
 * legacy {@code function_call}). Each block depends on its message alone, so a later turn of a
 * conversation, which repeats the earlier messages and appends new ones, renders to a text that
 * starts with the earlier turn's text: the property prefix and cache-aware routing rely on.
 */
final class ChatTranscript {

    private ChatTranscript() {
    }

    /** The routing text of a chat body (a JSON object); "" when it has no messages array. */
    static String render(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray()) {
            return "";
        }
        StringBuilder text = new StringBuilder(256);
        for (JsonNode message : messages) {
            appendMessage(text, message);
        }
        return text.toString();
    }

    private static void appendMessage(StringBuilder text, JsonNode message) {
        text.append(textOf(message.path("role"))).append('\n');
        appendContent(text, message.path("content"));
        for (JsonNode call : message.path("tool_calls")) {
            appendFunction(text, call.path("function"));
        }
        appendFunction(text, message.path("function_call"));
        text.append('\n');
    }

    private static void appendContent(StringBuilder text, JsonNode content) {
        if (content.isTextual()) {
            text.append(content.textValue());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                JsonNode partText = part.path("text");
                if (partText.isTextual()) {
                    text.append(partText.textValue());
                }
            }
        }
    }

    private static void appendFunction(StringBuilder text, JsonNode function) {
        if (!function.isObject()) {
            return;
        }
        text.append('\n').append(textOf(function.path("name")));
        text.append('\n').append(textOf(function.path("arguments")));
    }

    /** A string as itself; arguments sent as an object (some clients do) as their JSON; absent as "". */
    private static String textOf(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        return node.isMissingNode() || node.isNull() ? "" : node.toString();
    }
}
