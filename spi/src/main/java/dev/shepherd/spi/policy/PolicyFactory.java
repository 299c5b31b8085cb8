package dev.shepherd.spi.policy;

import dev.shepherd.spi.ExtensionFactory;

/**
 * Creates a routing {@link Policy}. The kernel creates one policy per routed model group (the
 * default group and each model with its own {@code routing.models} entry).
 */
public interface PolicyFactory<C extends Record> extends ExtensionFactory<C, Policy> {
}
