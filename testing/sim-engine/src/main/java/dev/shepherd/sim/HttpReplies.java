package dev.shepherd.sim;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Sends complete (non-streaming) responses: JSON, OpenAI-shaped errors, plain text. */
final class HttpReplies {

  static final String JSON = "application/json";

  private HttpReplies() {
  }

  static void json(HttpServerExchange exchange, int status, byte[] body) {
    send(exchange, status, JSON, body);
  }

  static void json(HttpServerExchange exchange, int status, JsonCodec.JsonWriter writer) {
    json(exchange, status, JsonCodec.write(writer));
  }

  static void text(HttpServerExchange exchange, int status, String contentType, String body) {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static void empty(HttpServerExchange exchange, int status) {
    exchange.setStatusCode(status);
    exchange.setResponseContentLength(0);
    exchange.endExchange();
  }

  /** {@code {"error":{"message","type","code","param"}}} with the error's status. */
  static void error(HttpServerExchange exchange, ApiError error) {
    if (exchange.isResponseStarted()) {
      return;
    }
    json(exchange, error.status(), json -> {
      json.writeStartObject();
      json.writeObjectFieldStart("error");
      json.writeStringField("message", error.getMessage());
      json.writeStringField("type", error.type());
      json.writeStringField("code", error.code());
      json.writeStringField("param", error.param());
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  private static void send(HttpServerExchange exchange, int status, String contentType, byte[] body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    exchange.getResponseSender().send(ByteBuffer.wrap(body));
  }
}
