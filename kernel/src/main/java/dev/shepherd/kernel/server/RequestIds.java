package dev.shepherd.kernel.server;

import io.undertow.util.HeaderMap;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request id of each request: the client's own from the configured headers when it sent one
 * (bounded and printable, so it is safe to log and forward), else a new {@code req-} + 24 characters.
 */
final class RequestIds {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final int MAX_CLIENT_ID_LENGTH = 128;

    private final List<String> headers;

    RequestIds(List<String> headers) {
        this.headers = headers;
    }

    String resolve(HeaderMap requestHeaders) {
        for (String header : headers) {
            String value = requestHeaders.getFirst(header);
            if (value != null && isSafe(value)) {
                return value;
            }
        }
        return generate();
    }

    static String generate() {
        char[] id = new char[28];
        id[0] = 'r';
        id[1] = 'e';
        id[2] = 'q';
        id[3] = '-';
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 4; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }

    private static boolean isSafe(String value) {
        if (value.isEmpty() || value.length() > MAX_CLIENT_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
