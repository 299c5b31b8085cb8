package dev.shepherd.spi.model;

import java.util.List;

/**
 * Generated text taken apart.
 *
 * @param content the text meant for the user
 * @param reasoning the model's reasoning text, empty when none
 * @param toolCalls the tool calls found, in order
 */
public record ParsedOutput(String content, String reasoning, List<ToolCall> toolCalls) {

    /**
     * One tool call.
     *
     * @param name the function name
     * @param argumentsJson its arguments as JSON text
     */
    public record ToolCall(String name, String argumentsJson) {
    }
}
