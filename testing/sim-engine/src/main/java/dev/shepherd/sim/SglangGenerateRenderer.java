package dev.shepherd.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * SGLang's native {@code /generate}: {@code {"text", "meta_info"}} (an array of them for a batch);
 * streams carry the cumulative text so far in every event, as SGLang does.
 */
final class SglangGenerateRenderer implements ResponseRenderer {

  @Override
  public String idPrefix() {
    return "gnt-";
  }

  @Override
  public void writeBody(JsonGenerator json, GenerationResult result) throws IOException {
    boolean batch = result.sequences().size() > 1;
    if (batch) {
      json.writeStartArray();
    }
    for (SequenceOutput sequence : result.sequences()) {
      json.writeStartObject();
      json.writeStringField("text", sequence.text());
      writeMetaInfo(json, result, sequence, sequence.completionTokens(), true);
      json.writeEndObject();
    }
    if (batch) {
      json.writeEndArray();
    }
  }

  @Override
  public void writeStreamStep(SseEvents events, GenerationResult result, SequenceOutput sequence, int token,
      boolean finished) {
    int produced = token >= 0 ? token + 1 : sequence.completionTokens();
    events.event(json -> {
      json.writeStartObject();
      json.writeStringField("text", sequence.textUpTo(produced));
      writeMetaInfo(json, result, sequence, produced, finished);
      json.writeNumberField("index", sequence.index());
      json.writeEndObject();
    });
  }

  @Override
  public void writeStreamEnd(SseEvents events, GenerationResult result) {
    events.done();
  }

  private static void writeMetaInfo(JsonGenerator json, GenerationResult result, SequenceOutput sequence,
      int completionTokens, boolean finished) throws IOException {
    json.writeObjectFieldStart("meta_info");
    json.writeStringField("id", result.sequences().size() > 1 ? result.id() + "-" + sequence.index() : result.id());
    if (finished) {
      json.writeObjectFieldStart("finish_reason");
      json.writeStringField("type", sequence.finishReason());
      if (sequence.matchedStop() != null) {
        json.writeStringField("matched", sequence.matchedStop());
      } else {
        json.writeNumberField("length", sequence.completionTokens());
      }
      json.writeEndObject();
    } else {
      json.writeNullField("finish_reason");
    }
    json.writeNumberField("prompt_tokens", sequence.promptTokenCount());
    json.writeNumberField("completion_tokens", completionTokens);
    json.writeNumberField("cached_tokens", sequence.cachedTokens());
    json.writeEndObject();
  }
}
