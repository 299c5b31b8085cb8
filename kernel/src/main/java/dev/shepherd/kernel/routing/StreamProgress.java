package dev.shepherd.kernel.routing;

import dev.shepherd.spi.ParsedRequest;
import dev.shepherd.spi.StreamEvent;
import dev.shepherd.spi.TokenUsage;
import java.nio.ByteBuffer;

/**
 * What a stream has delivered so far: the generated text and its token count (to resume it), when
 * the first token arrived, and the usage the worker reported (for metrics).
 */
final class StreamProgress {

    private final StringBuilder text = new StringBuilder();
    private final SseEventSplitter splitter;
    private final boolean keepText;
    private int tokens;
    private long firstTokenNanos;
    private long lastTokenNanos;
    private TokenUsage usage;

    /**
     * @param keepText whether to keep the generated text (only needed to resume the stream)
     */
    StreamProgress(ParsedRequest request, boolean keepText) {
        this.keepText = keepText;
        this.splitter = new SseEventSplitter(data -> onEvent(request.streamEvent(data)));
    }

    private void onEvent(StreamEvent event) {
        if (!event.text().isEmpty()) {
            long now = System.nanoTime();
            if (tokens == 0) {
                firstTokenNanos = now;
            }
            lastTokenNanos = now;
            tokens++;
            if (keepText) {
                text.append(event.text());
            }
        }
        if (event.usage() != null) {
            usage = event.usage();
        }
    }

    void feed(ByteBuffer chunk) {
        splitter.feed(chunk);
    }

    String text() {
        return text.toString();
    }

    int tokens() {
        return tokens;
    }

    /** When the first token arrived ({@link System#nanoTime()}), or 0 before it. */
    long firstTokenNanos() {
        return firstTokenNanos;
    }

    long lastTokenNanos() {
        return lastTokenNanos;
    }

    /** The usage the worker reported in the stream, or null. */
    TokenUsage usage() {
        return usage;
    }
}
