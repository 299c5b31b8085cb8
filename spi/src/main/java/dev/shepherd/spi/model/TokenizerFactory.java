package dev.shepherd.spi.model;

import dev.shepherd.spi.ExtensionFactory;

/** Creates a {@link Tokenizer} for a model. */
public interface TokenizerFactory<C extends Record> extends ExtensionFactory<C, Tokenizer> {
}
