package dev.shepherd.sim;

import java.util.List;

/**
 * Everything a response renderer needs about one request: its ids and the output of each sequence.
 *
 * @param id response id with the API's prefix ({@code chatcmpl-}, {@code cmpl-}, ...)
 * @param createdEpochSeconds the OpenAI {@code created} field
 */
record GenerationResult(
    String id,
    long createdEpochSeconds,
    String model,
    boolean includeUsage,
    List<SequenceOutput> sequences) {

  int promptTokens() {
    int total = 0;
    for (SequenceOutput sequence : sequences) {
      total += sequence.promptTokenCount();
    }
    return total;
  }

  int completionTokens() {
    int total = 0;
    for (SequenceOutput sequence : sequences) {
      total += sequence.completionTokens();
    }
    return total;
  }

  int cachedTokens() {
    int total = 0;
    for (SequenceOutput sequence : sequences) {
      total += sequence.cachedTokens();
    }
    return total;
  }

  /** Decode steps of the whole request: its longest sequence. */
  int steps() {
    int steps = 1;
    for (SequenceOutput sequence : sequences) {
      steps = Math.max(steps, sequence.steps());
    }
    return steps;
  }
}
