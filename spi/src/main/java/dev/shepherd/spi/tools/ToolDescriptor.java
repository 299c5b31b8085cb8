package dev.shepherd.spi.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool as offered to a model.
 *
 * @param name the tool's name
 * @param description what it does
 * @param inputSchema the JSON schema of its arguments
 */
public record ToolDescriptor(String name, String description, JsonNode inputSchema) {
}
