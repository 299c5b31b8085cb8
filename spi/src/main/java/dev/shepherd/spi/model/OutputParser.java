package dev.shepherd.spi.model;

import dev.shepherd.spi.Experimental;

/** Splits generated text into plain content, reasoning and tool calls. Thread-safe and stateless. */
@Experimental
public interface OutputParser {

    ParsedOutput parse(String generatedText);
}
