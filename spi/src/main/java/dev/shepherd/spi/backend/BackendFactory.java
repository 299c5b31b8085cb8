package dev.shepherd.spi.backend;

import dev.shepherd.spi.ExtensionFactory;

/** Creates a {@link Backend}: the client side of one way to talk to workers (HTTP, gRPC, a provider). */
public interface BackendFactory<C extends Record> extends ExtensionFactory<C, Backend> {
}
