package dev.shepherd.spi.discovery;

import dev.shepherd.spi.ExtensionFactory;

/** Creates a {@link Discovery}: a source of workers other than the static manifest list. */
public interface DiscoveryFactory<C extends Record> extends ExtensionFactory<C, Discovery> {
}
