package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the compact JSON messages a guest reads with {@code input_read} (ABI v1, "Messages"). Keys come
 * in a fixed order and headers as one string per lower-case name, so simple guests can scan the text.
 */
final class GuestMessages {

    private static final JsonFactory JSON = new JsonFactory();

    private GuestMessages() {
    }

    /** Header values joined per name, as HTTP allows for repeated headers. */
    static Map<String, String> flatten(Headers headers) {
        Map<String, String> flat = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : headers.values().entrySet()) {
            flat.put(header.getKey(), String.join(", ", header.getValue()));
        }
        return flat;
    }

    static byte[] request(GatewayRequest request, Map<String, String> headers, byte[] body) {
        return write(Hook.ON_REQUEST, request, null, false, headers, body);
    }

    static byte[] response(GatewayRequest request, int status, boolean streamEvent, Map<String, String> headers,
                           byte[] body) {
        return write(Hook.ON_RESPONSE, request, status, streamEvent, headers, body);
    }

    private static byte[] write(Hook hook, GatewayRequest request, Integer status, boolean streamEvent,
                                Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + body.length + headers.size() * 48);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("hook", hook.exportName());
            json.writeStringField("request_id", request.id());
            json.writeStringField("method", "POST");
            json.writeStringField("path", request.parsed().upstreamPath());
            json.writeStringField("model", request.model());
            json.writeBooleanField("stream", request.stream());
            if (status != null) {
                json.writeNumberField("status", status);
                json.writeBooleanField("stream_event", streamEvent);
            }
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : headers.entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            json.writeStringField("body", new String(body, StandardCharsets.UTF_8));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
