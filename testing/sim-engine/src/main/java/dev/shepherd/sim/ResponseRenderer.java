package dev.shepherd.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Writes a generation in one API's shape, whole or as server-sent events. A stream is rendered step
 * by step: {@link #writeStreamStart} once, {@link #writeStreamStep} for each sequence that produced a
 * token or finished in a decode step, {@link #writeStreamEnd} once.
 */
interface ResponseRenderer {

  /** Prefix of response ids ({@code chatcmpl-}, {@code cmpl-}, ...). */
  String idPrefix();

  /** The non-streaming response body. */
  void writeBody(JsonGenerator json, GenerationResult result) throws IOException;

  /** Events sent with the first token, before it. */
  default void writeStreamStart(SseEvents events, GenerationResult result) {
  }

  /**
   * Events of one sequence in one step.
   *
   * @param token index of the output token produced in this step, or -1 when none was
   * @param finished whether the sequence ends with this step
   */
  void writeStreamStep(SseEvents events, GenerationResult result, SequenceOutput sequence, int token,
      boolean finished);

  /** Events after the last step (usage, {@code [DONE]}). */
  void writeStreamEnd(SseEvents events, GenerationResult result);

  /** The OpenAI usage object, with cached prompt tokens as vLLM reports them. */
  static void writeUsage(JsonGenerator json, GenerationResult result) throws IOException {
    int prompt = result.promptTokens();
    int completion = result.completionTokens();
    json.writeObjectFieldStart("usage");
    json.writeNumberField("prompt_tokens", prompt);
    json.writeNumberField("completion_tokens", completion);
    json.writeNumberField("total_tokens", prompt + completion);
    json.writeObjectFieldStart("prompt_tokens_details");
    json.writeNumberField("cached_tokens", result.cachedTokens());
    json.writeEndObject();
    json.writeEndObject();
  }
}
