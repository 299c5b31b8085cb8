package dev.shepherd.kernel.routing;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Holds back the unfinished tail of a server-sent-event stream so only whole events reach the
 * client. When a worker dies in the middle of an event, its half never left the gateway, and what
 * follows (another worker's continuation, or an error event) starts on an event boundary instead of
 * being glued to a fragment. Works on bytes: an event ends at a blank line ({@code \n\n} or
 * {@code \r\n\r\n}). Engines flush whole events, so the usual chunk passes through without a copy.
 */
final class SseEventFramer {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private ByteBuffer held = NOTHING;

    /**
     * Takes the next chunk and returns the whole events it completes (possibly none: an empty
     * buffer), keeping the rest for the next chunk. The chunk's position is not moved.
     */
    ByteBuffer feed(ByteBuffer chunk) {
        if (!held.hasRemaining()) {
            ByteBuffer view = chunk.duplicate();
            int end = afterLastEvent(view);
            if (end == view.limit()) {
                return view;
            }
            held = copyOf(view, end, view.limit());
            return view.limit(end);
        }
        ByteBuffer joined = ByteBuffer.allocate(held.remaining() + chunk.remaining());
        joined.put(held).put(chunk.duplicate()).flip();
        int end = afterLastEvent(joined);
        held = end == joined.limit() ? NOTHING : copyOf(joined, end, joined.limit());
        return joined.limit(end);
    }

    /** The unfinished tail, handed over when the stream ends cleanly; nothing is held afterwards. */
    ByteBuffer drain() {
        ByteBuffer tail = held;
        held = NOTHING;
        return tail;
    }

    /** Forgets the unfinished tail of a stream that broke: it is never sent. */
    void discard() {
        held = NOTHING;
    }

    /**
     * Hands each event of {@code wholeEvents} (what {@link #feed} returned) to {@code onEvent}, its
     * bytes including the blank line that ends it. Does not move the buffer's position.
     */
    static void forEachEvent(ByteBuffer wholeEvents, Consumer<byte[]> onEvent) {
        int start = wholeEvents.position();
        int end = wholeEvents.limit();
        for (int i = start + 1; i < end; i++) {
            if (wholeEvents.get(i) == '\n' && (wholeEvents.get(i - 1) == '\n'
                    || wholeEvents.get(i - 1) == '\r' && i - 2 >= start && wholeEvents.get(i - 2) == '\n')) {
                byte[] event = new byte[i + 1 - start];
                wholeEvents.get(start, event);
                onEvent.accept(event);
                start = i + 1;
                i++;
            }
        }
    }

    /** The index just past the last blank line in the buffer's remaining bytes, or its position if none. */
    private static int afterLastEvent(ByteBuffer b) {
        int start = b.position();
        for (int i = b.limit() - 1; i > start; i--) {
            if (b.get(i) != '\n') {
                continue;
            }
            int prev = i - 1;
            if (b.get(prev) == '\r') {
                prev--;
            }
            if (prev >= start && b.get(prev) == '\n') {
                return i + 1;
            }
        }
        return start;
    }

    private static ByteBuffer copyOf(ByteBuffer source, int from, int to) {
        ByteBuffer copy = ByteBuffer.allocate(to - from);
        copy.put(source.duplicate().position(from).limit(to)).flip();
        return copy;
    }
}
