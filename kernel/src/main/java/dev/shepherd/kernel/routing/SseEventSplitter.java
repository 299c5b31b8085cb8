package dev.shepherd.kernel.routing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a server-sent-event byte stream, arriving in arbitrary chunks, into the {@code data:}
 * payloads of whole events. Reads chunks without consuming them, so the same bytes can still be
 * forwarded untouched.
 */
final class SseEventSplitter {

    private final Consumer<String> onEventData;
    private final StringBuilder line = new StringBuilder(256);
    private final StringBuilder data = new StringBuilder(256);
    private byte[] pendingUtf8 = new byte[0];

    SseEventSplitter(Consumer<String> onEventData) {
        this.onEventData = onEventData;
    }

    void feed(ByteBuffer chunk) {
        ByteBuffer view = chunk.duplicate();
        byte[] bytes = new byte[pendingUtf8.length + view.remaining()];
        System.arraycopy(pendingUtf8, 0, bytes, 0, pendingUtf8.length);
        view.get(bytes, pendingUtf8.length, view.remaining());
        int complete = completeUtf8Length(bytes);
        pendingUtf8 = java.util.Arrays.copyOfRange(bytes, complete, bytes.length);
        String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                endLine();
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    private void endLine() {
        if (line.isEmpty()) {
            if (!data.isEmpty()) {
                onEventData.accept(data.toString());
                data.setLength(0);
            }
            return;
        }
        if (line.length() >= 5 && line.substring(0, 5).equals("data:")) {
            if (!data.isEmpty()) {
                data.append('\n');
            }
            int start = line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5;
            data.append(line, start, line.length());
        }
        line.setLength(0);
    }

    /** How many leading bytes form whole UTF-8 characters (a chunk may end inside one). */
    private static int completeUtf8Length(byte[] bytes) {
        int end = bytes.length;
        for (int back = 1; back <= 3 && end - back >= 0; back++) {
            int b = bytes[end - back] & 0xff;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? end - back : end;
        }
        return end;
    }
}
