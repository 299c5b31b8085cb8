package dev.shepherd.spi.model;

import dev.shepherd.spi.Experimental;
import dev.shepherd.spi.ExtensionFactory;

/** Creates an {@link OutputParser} for a model family's reasoning or tool-call syntax. */
@Experimental
public interface ParserFactory<C extends Record> extends ExtensionFactory<C, OutputParser> {
}
