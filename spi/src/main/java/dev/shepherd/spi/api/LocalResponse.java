package dev.shepherd.spi.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A complete answer produced by the gateway itself.
 *
 * @param status HTTP status
 * @param contentType the {@code Content-Type}
 * @param headers extra response headers
 * @param body the body bytes
 */
public record LocalResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    public LocalResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static LocalResponse json(int status, byte[] body) {
        return new LocalResponse(status, "application/json", Map.of(), body);
    }

    public static LocalResponse text(int status, String body) {
        return new LocalResponse(status, "text/plain; charset=utf-8", Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }
}
