package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders a prompt-like field ({@code prompt}, {@code input}, {@code text}, {@code input_ids}) as
 * routing text. A string is itself. An array of token ids is the ids joined by single spaces; any
 * other array (a batch of strings or of token-id arrays) is its elements, each rendered the same way,
 * joined by newlines. Rendering an array element by element keeps the prefix property: a prompt that
 * extends another renders to a text that extends the other's.
 */
final class PromptText {

    private PromptText() {
    }

    /** The routing text of {@code prompt}; "" when it is absent, null or of another type. */
    static String of(JsonNode prompt) {
        if (prompt == null) {
            return "";
        }
        if (prompt.isTextual()) {
            return prompt.textValue();
        }
        if (!prompt.isArray()) {
            return prompt.isNumber() ? prompt.asText() : "";
        }
        StringBuilder text = new StringBuilder(128);
        appendArray(text, prompt);
        return text.toString();
    }

    private static void appendArray(StringBuilder text, JsonNode array) {
        boolean first = true;
        for (JsonNode element : array) {
            if (!first) {
                text.append(element.isNumber() ? ' ' : '\n');
            }
            first = false;
            if (element.isArray()) {
                appendArray(text, element);
            } else if (element.isTextual()) {
                text.append(element.textValue());
            } else if (element.isNumber()) {
                text.append(element.asText());
            }
        }
    }
}
