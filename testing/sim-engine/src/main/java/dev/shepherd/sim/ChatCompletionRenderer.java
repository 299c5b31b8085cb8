package dev.shepherd.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** OpenAI chat completions: {@code chat.completion} bodies and {@code chat.completion.chunk} events. */
final class ChatCompletionRenderer implements ResponseRenderer {

  @Override
  public String idPrefix() {
    return "chatcmpl-";
  }

  @Override
  public void writeBody(JsonGenerator json, GenerationResult result) throws IOException {
    json.writeStartObject();
    writeHeader(json, result, "chat.completion");
    json.writeArrayFieldStart("choices");
    for (SequenceOutput sequence : result.sequences()) {
      json.writeStartObject();
      json.writeNumberField("index", sequence.index());
      json.writeObjectFieldStart("message");
      json.writeStringField("role", "assistant");
      json.writeStringField("content", sequence.text());
      json.writeEndObject();
      json.writeNullField("logprobs");
      json.writeStringField("finish_reason", sequence.finishReason());
      json.writeEndObject();
    }
    json.writeEndArray();
    ResponseRenderer.writeUsage(json, result);
    json.writeEndObject();
  }

  @Override
  public void writeStreamStart(SseEvents events, GenerationResult result) {
    for (SequenceOutput sequence : result.sequences()) {
      events.event(json -> writeChunk(json, result, sequence.index(), "assistant", "", null));
    }
  }

  @Override
  public void writeStreamStep(SseEvents events, GenerationResult result, SequenceOutput sequence, int token,
      boolean finished) {
    if (token >= 0) {
      events.event(json -> writeChunk(json, result, sequence.index(), null, sequence.tokenText(token), null));
    }
    if (finished) {
      events.event(json -> writeChunk(json, result, sequence.index(), null, null, sequence.finishReason()));
    }
  }

  @Override
  public void writeStreamEnd(SseEvents events, GenerationResult result) {
    if (result.includeUsage()) {
      events.event(json -> {
        json.writeStartObject();
        writeHeader(json, result, "chat.completion.chunk");
        json.writeArrayFieldStart("choices");
        json.writeEndArray();
        ResponseRenderer.writeUsage(json, result);
        json.writeEndObject();
      });
    }
    events.done();
  }

  private static void writeChunk(JsonGenerator json, GenerationResult result, int index, String role,
      String content, String finishReason) throws IOException {
    json.writeStartObject();
    writeHeader(json, result, "chat.completion.chunk");
    json.writeArrayFieldStart("choices");
    json.writeStartObject();
    json.writeNumberField("index", index);
    json.writeObjectFieldStart("delta");
    if (role != null) {
      json.writeStringField("role", role);
    }
    if (content != null) {
      json.writeStringField("content", content);
    }
    json.writeEndObject();
    json.writeNullField("logprobs");
    json.writeStringField("finish_reason", finishReason);
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeHeader(JsonGenerator json, GenerationResult result, String object) throws IOException {
    json.writeStringField("id", result.id());
    json.writeStringField("object", object);
    json.writeNumberField("created", result.createdEpochSeconds());
    json.writeStringField("model", result.model());
  }
}
