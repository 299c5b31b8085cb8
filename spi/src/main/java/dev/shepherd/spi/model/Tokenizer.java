package dev.shepherd.spi.model;

/** Turns text into a model's token ids and back. Thread-safe. */
public interface Tokenizer extends AutoCloseable {

    int[] encode(String text);

    String decode(int[] tokens);

    @Override
    default void close() {
    }
}
