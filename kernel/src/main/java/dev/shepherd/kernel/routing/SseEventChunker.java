package dev.shepherd.kernel.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Cuts a server-sent-event byte stream, arriving in arbitrary chunks, into whole events: the raw bytes
 * of each event including the blank line that ends it, so an event can be handed on (or replaced) as a
 * unit. Consumes the chunks it is fed.
 */
final class SseEventChunker {

    private final Consumer<byte[]> onEvent;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
    private int previous = -1;
    private int beforePrevious = -1;

    SseEventChunker(Consumer<byte[]> onEvent) {
        this.onEvent = onEvent;
    }

    void feed(ByteBuffer chunk) {
        while (chunk.hasRemaining()) {
            int b = chunk.get() & 0xff;
            pending.write(b);
            // An event ends at an empty line: "\n\n" or "\n\r\n".
            if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
                onEvent.accept(pending.toByteArray());
                pending.reset();
                previous = -1;
                beforePrevious = -1;
            } else {
                beforePrevious = previous;
                previous = b;
            }
        }
    }

    /** What is left after the last whole event (a stream that ended without its blank line). */
    byte[] rest() {
        byte[] rest = pending.toByteArray();
        pending.reset();
        return rest;
    }
}
