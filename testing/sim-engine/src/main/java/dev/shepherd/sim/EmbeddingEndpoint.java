package dev.shepherd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/embeddings}: one deterministic unit vector of {@value #DIMENSIONS} floats per input,
 * derived from the input's tokens, answered after the prefill time of those tokens. Embeddings take no
 * batch slot and use no prefix cache. {@code encoding_format: "base64"} returns little-endian float32
 * bytes in base64, as OpenAI does.
 */
final class EmbeddingEndpoint implements Endpoint {

  static final int DIMENSIONS = 16;

  private final EngineRuntime engine;
  private final FaultGate faultGate;

  EmbeddingEndpoint(EngineRuntime engine, FaultGate faultGate) {
    this.engine = engine;
    this.faultGate = faultGate;
  }

  @Override
  public void handle(HttpServerExchange exchange, byte[] body) {
    faultGate.pass(exchange, decision -> {
      JsonNode request = JsonCodec.parseObject(body);
      String model = engine.models().resolve(RequestFields.optionalText(request, "model"));
      List<GenerationRequest.Prompt> inputs = GenerationRequestParser.prompts(request.get("input"), "input");
      String format = RequestFields.optionalText(request, "encoding_format");
      boolean base64 = "base64".equals(format);
      if (format != null && !base64 && !"float".equals(format)) {
        throw ApiError.badRequest("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
      }
      int tokens = 0;
      for (GenerationRequest.Prompt input : inputs) {
        tokens += input.tokens().length;
      }
      int promptTokens = tokens;
      byte[] response = JsonCodec.write(json -> {
        json.writeStartObject();
        json.writeStringField("object", "list");
        json.writeArrayFieldStart("data");
        for (int i = 0; i < inputs.size(); i++) {
          float[] vector = embed(inputs.get(i).tokens());
          json.writeStartObject();
          json.writeStringField("object", "embedding");
          json.writeNumberField("index", i);
          json.writeFieldName("embedding");
          if (base64) {
            json.writeString(toBase64(vector));
          } else {
            json.writeStartArray();
            for (float value : vector) {
              json.writeNumber(value);
            }
            json.writeEndArray();
          }
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("model", model);
        json.writeObjectFieldStart("usage");
        json.writeNumberField("prompt_tokens", promptTokens);
        json.writeNumberField("total_tokens", promptTokens);
        json.writeEndObject();
        json.writeEndObject();
      });
      long delayNanos = engine.timing().timeToFirstTokenNanos(promptTokens, decision.settings().slowMs());
      replyAfter(exchange, response, delayNanos);
    });
  }

  /** A unit vector that depends only on the tokens. */
  static float[] embed(int[] tokens) {
    long state = new DeterministicModel(tokens).state();
    float[] vector = new float[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < DIMENSIONS; i++) {
      state = DeterministicModel.mix(state + 0x9E37_79B9_7F4A_7C15L);
      vector[i] = (float) ((state >>> 11) * 0x1.0p-53 * 2 - 1);
      norm += vector[i] * vector[i];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < DIMENSIONS; i++) {
      vector[i] *= scale;
    }
    return vector;
  }

  private static void replyAfter(HttpServerExchange exchange, byte[] response, long delayNanos) {
    if (delayNanos <= 0) {
      HttpReplies.json(exchange, 200, response);
      return;
    }
    try {
      exchange.getIoThread().executeAfter(() -> HttpReplies.json(exchange, 200, response),
          (delayNanos + 999_999) / 1_000_000, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the engine is shutting down and takes the connection with it
    }
  }

  private static String toBase64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      bytes.putFloat(value);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
