package dev.shepherd.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds a batch of server-sent events ({@code data: <json>\n\n}) in one buffer, so every decode step
 * is a single socket write however many events it carries.
 */
final class SseEvents {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ByteArrayBuilder bytes = new ByteArrayBuilder(512);
  private final JsonGenerator json = JsonCodec.generator(bytes);

  SseEvents() {
    // Events follow each other with no separator: "data: " and "\n\n" frame them.
    json.setRootValueSeparator(null);
  }

  /** Writes one {@code data:} event whose JSON the writer produces. */
  void event(JsonCodec.JsonWriter writer) {
    try {
      json.writeRaw("data: ");
      writer.write(json);
      json.writeRaw("\n\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The terminating {@code data: [DONE]} event. */
  void done() {
    try {
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytes.write(DONE);
  }

  ByteBuffer toByteBuffer() {
    try {
      json.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteBuffer.wrap(bytes.toByteArray());
  }
}
