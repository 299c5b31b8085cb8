package dev.shepherd.spi.tools;

/**
 * What a tool call returned.
 *
 * @param content the result as text (JSON or prose)
 * @param error true when the tool reported a failure
 */
public record ToolResult(String content, boolean error) {
}
