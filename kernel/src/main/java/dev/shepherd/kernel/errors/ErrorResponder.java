package dev.shepherd.kernel.errors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.api.Api;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Answers a failure with its status and an OpenAI-shaped error body (or the API's own shape). */
public final class ErrorResponder {

    private static final JsonFactory JSON = new JsonFactory();
    private static final HttpString RETRY_AFTER = new HttpString("Retry-After");

    /** The error code the gateway answered with, for observers; absent when the worker answered. */
    public static final AttachmentKey<String> ERROR_CODE = AttachmentKey.create(String.class);

    private ErrorResponder() {
    }

    /** Sends the error unless the response has already started. Must run on the exchange's I/O thread. */
    public static void send(HttpServerExchange exchange, GatewayException error, Api api) {
        if (exchange.isResponseStarted()) {
            return;
        }
        byte[] body = api == null ? null : api.errorBody(error).orElse(null);
        if (body == null) {
            body = openAiBody(error);
        }
        exchange.putAttachment(ERROR_CODE, error.code());
        exchange.setStatusCode(error.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        error.retryAfter().ifPresent(after -> exchange.getResponseHeaders()
                .put(RETRY_AFTER, Long.toString(Math.max(1, (after.toMillis() + 999) / 1000))));
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** {@code {"error":{"message","type","code","param"}}}. */
    public static byte[] openAiBody(GatewayException error) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeStringField("message", error.getMessage());
            json.writeStringField("type", error.type());
            json.writeStringField("code", error.code());
            if (error.param().isPresent()) {
                json.writeStringField("param", error.param().get());
            } else {
                json.writeNullField("param");
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The same error as a server-sent event, for a stream that fails after it started. */
    public static byte[] sseEvent(GatewayException error) {
        byte[] json = openAiBody(error);
        byte[] event = new byte[json.length + 8];
        System.arraycopy("data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, event, 0, 6);
        System.arraycopy(json, 0, event, 6, json.length);
        event[event.length - 2] = '\n';
        event[event.length - 1] = '\n';
        return event;
    }
}
