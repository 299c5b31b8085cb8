package dev.shepherd.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The engine's one Jackson setup: parse request bodies to trees, write responses with a generator. */
final class JsonCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  /** Writes one JSON value into a generator. */
  @FunctionalInterface
  interface JsonWriter {
    void write(JsonGenerator json) throws IOException;
  }

  private JsonCodec() {
  }

  /** Parses a request body that must be a JSON object; anything else is a 400. */
  static JsonNode parseObject(byte[] body) {
    JsonNode node;
    try {
      node = body.length == 0 ? null : MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("Invalid JSON body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (node == null || !node.isObject()) {
      throw ApiError.badRequest("The request body must be a JSON object.");
    }
    return node;
  }

  /** Serialises what {@code writer} writes into a fresh byte array. */
  static byte[] write(JsonWriter writer) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
      writer.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static JsonGenerator generator(ByteArrayBuilder target) {
    try {
      return FACTORY.createGenerator(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
