package dev.shepherd.spi.tools;

import dev.shepherd.spi.Experimental;
import dev.shepherd.spi.ExtensionFactory;

/** Creates a {@link ToolServer}: tools the gateway can call on a model's behalf (MCP). */
@Experimental
public interface ToolServerFactory<C extends Record> extends ExtensionFactory<C, ToolServer> {
}
