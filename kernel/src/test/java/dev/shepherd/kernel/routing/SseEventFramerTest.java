package dev.shepherd.kernel.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEventFramerTest {

    private final SseEventFramer framer = new SseEventFramer();

    @Test
    void wholeEventsPassThroughUntouched() {
        ByteBuffer chunk = bytes("data: a\n\ndata: b\n\n");
        ByteBuffer out = framer.feed(chunk);
        assertThat(text(out)).isEqualTo("data: a\n\ndata: b\n\n");
        assertThat(chunk.position()).as("the caller's chunk is not consumed").isZero();
        assertThat(framer.drain().hasRemaining()).isFalse();
    }

    @Test
    void aHalfEventIsHeldUntilItsBlankLineArrives() {
        assertThat(text(framer.feed(bytes("data: a\n\ndata: {\"par")))).isEqualTo("data: a\n\n");
        assertThat(text(framer.feed(bytes("tial\":1}")))).isEmpty();
        assertThat(text(framer.feed(bytes("\n")))).isEmpty();
        assertThat(text(framer.feed(bytes("\ndata: c\n")))).isEqualTo("data: {\"partial\":1}\n\n");
        assertThat(text(framer.drain())).isEqualTo("data: c\n");
    }

    @Test
    void crlfLineEndsAndABoundarySplitAcrossChunksAreRecognised() {
        assertThat(text(framer.feed(bytes("data: a\r\n")))).isEmpty();
        assertThat(text(framer.feed(bytes("\r\ndata: b\r\n\r\n")))).isEqualTo("data: a\r\n\r\ndata: b\r\n\r\n");
    }

    @Test
    void aDiscardedTailNeverReachesTheClient() {
        framer.feed(bytes("data: a\n\ndata: cut her"));
        framer.discard();
        assertThat(text(framer.feed(bytes("data: next\n\n")))).isEqualTo("data: next\n\n");
        assertThat(framer.drain().hasRemaining()).isFalse();
    }

    @Test
    void wholeEventsSplitIntoOneEventEach() {
        java.util.List<String> events = new java.util.ArrayList<>();
        ByteBuffer whole = framer.feed(bytes("data: a\n\ndata: b\r\n\r\n: comment\ndata: c\n\ndata: tail"));

        SseEventFramer.forEachEvent(whole, e -> events.add(new String(e, StandardCharsets.UTF_8)));

        assertThat(events).containsExactly("data: a\n\n", "data: b\r\n\r\n", ": comment\ndata: c\n\n");
        assertThat(text(framer.drain())).isEqualTo("data: tail");
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return new String(out, StandardCharsets.UTF_8);
    }
}
