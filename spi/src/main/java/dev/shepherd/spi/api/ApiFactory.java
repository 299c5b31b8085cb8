package dev.shepherd.spi.api;

import dev.shepherd.spi.ExtensionFactory;

/** Creates an {@link Api}: a family of client-facing endpoints (OpenAI, Anthropic, Responses). */
public interface ApiFactory<C extends Record> extends ExtensionFactory<C, Api> {
}
