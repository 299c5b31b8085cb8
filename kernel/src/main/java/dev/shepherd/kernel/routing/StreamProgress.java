package dev.shepherd.kernel.routing;

import dev.shepherd.spi.ParsedRequest;
import java.nio.ByteBuffer;

/** What a stream has delivered so far: the generated text and its token count, for resumption. */
final class StreamProgress {

    private final StringBuilder text = new StringBuilder();
    private final SseEventSplitter splitter;
    private int tokens;

    StreamProgress(ParsedRequest request) {
        this.splitter = new SseEventSplitter(data -> {
            String delta = request.generatedText(data);
            if (!delta.isEmpty()) {
                text.append(delta);
                tokens++;
            }
        });
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
}
