package dev.shepherd.spi.model;

import dev.shepherd.spi.ExtensionFactory;

/** Creates an {@link OutputParser} for a model family's reasoning or tool-call syntax. */
public interface ParserFactory<C extends Record> extends ExtensionFactory<C, OutputParser> {
}
