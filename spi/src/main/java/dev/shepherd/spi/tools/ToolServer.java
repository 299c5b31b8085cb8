package dev.shepherd.spi.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.spi.Experimental;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A server of callable tools. Thread-safe; calls may block, so they return stages. */
@Experimental
public interface ToolServer extends AutoCloseable {

    CompletionStage<List<ToolDescriptor>> listTools();

    CompletionStage<ToolResult> call(String toolName, JsonNode arguments);

    @Override
    default void close() {
    }
}
