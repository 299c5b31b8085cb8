package dev.shepherd.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** OpenAI (legacy) completions: {@code text_completion} bodies and events, one choice per prompt. */
final class TextCompletionRenderer implements ResponseRenderer {

  @Override
  public String idPrefix() {
    return "cmpl-";
  }

  @Override
  public void writeBody(JsonGenerator json, GenerationResult result) throws IOException {
    json.writeStartObject();
    writeHeader(json, result);
    json.writeArrayFieldStart("choices");
    for (SequenceOutput sequence : result.sequences()) {
      writeChoice(json, sequence.index(), sequence.text(), sequence.finishReason());
    }
    json.writeEndArray();
    ResponseRenderer.writeUsage(json, result);
    json.writeEndObject();
  }

  @Override
  public void writeStreamStep(SseEvents events, GenerationResult result, SequenceOutput sequence, int token,
      boolean finished) {
    if (token >= 0) {
      events.event(json -> writeChunk(json, result, sequence.index(), sequence.tokenText(token), null));
    }
    if (finished) {
      events.event(json -> writeChunk(json, result, sequence.index(), "", sequence.finishReason()));
    }
  }

  @Override
  public void writeStreamEnd(SseEvents events, GenerationResult result) {
    if (result.includeUsage()) {
      events.event(json -> {
        json.writeStartObject();
        writeHeader(json, result);
        json.writeArrayFieldStart("choices");
        json.writeEndArray();
        ResponseRenderer.writeUsage(json, result);
        json.writeEndObject();
      });
    }
    events.done();
  }

  private static void writeChunk(JsonGenerator json, GenerationResult result, int index, String text,
      String finishReason) throws IOException {
    json.writeStartObject();
    writeHeader(json, result);
    json.writeArrayFieldStart("choices");
    writeChoice(json, index, text, finishReason);
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeChoice(JsonGenerator json, int index, String text, String finishReason)
      throws IOException {
    json.writeStartObject();
    json.writeNumberField("index", index);
    json.writeStringField("text", text);
    json.writeNullField("logprobs");
    json.writeStringField("finish_reason", finishReason);
    json.writeEndObject();
  }

  private static void writeHeader(JsonGenerator json, GenerationResult result) throws IOException {
    json.writeStringField("id", result.id());
    json.writeStringField("object", "text_completion");
    json.writeNumberField("created", result.createdEpochSeconds());
    json.writeStringField("model", result.model());
  }
}
