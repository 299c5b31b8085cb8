package dev.shepherd.kernel.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventSplitterTest {

    private final List<String> events = new ArrayList<>();
    private final SseEventSplitter splitter = new SseEventSplitter(events::add);

    private void feed(byte[] bytes, int from, int to) {
        ByteBuffer chunk = ByteBuffer.wrap(bytes, from, to - from);
        splitter.feed(chunk);
        assertThat(chunk.position()).as("the chunk is read, not consumed").isEqualTo(from);
    }

    @Test
    void yieldsTheDataOfWholeEventsWhateverTheChunking() {
        byte[] stream = "data: {\"a\":1}\n\ndata: {\"b\":\"é✓\"}\r\n\r\n: comment\n\ndata: [DONE]\n\n"
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < stream.length; i++) {
            feed(stream, i, i + 1);
        }
        assertThat(events).containsExactly("{\"a\":1}", "{\"b\":\"é✓\"}", "[DONE]");
    }

    @Test
    void joinsMultiLineData() {
        byte[] stream = "data: one\ndata: two\n\n".getBytes(StandardCharsets.UTF_8);
        feed(stream, 0, stream.length);
        assertThat(events).containsExactly("one\ntwo");
    }

    @Test
    void holdsAnUnfinishedEventUntilItEnds() {
        byte[] stream = "data: {\"x\":1}\n".getBytes(StandardCharsets.UTF_8);
        feed(stream, 0, stream.length);
        assertThat(events).isEmpty();
        feed("\n".getBytes(StandardCharsets.UTF_8), 0, 1);
        assertThat(events).containsExactly("{\"x\":1}");
    }
}
