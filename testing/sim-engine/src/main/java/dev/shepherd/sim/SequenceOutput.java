package dev.shepherd.sim;

import java.util.Arrays;
import java.util.List;

/**
 * The whole output of one sequence, decided when the request starts running (generation is
 * deterministic, so only its timing remains to be simulated).
 */
final class SequenceOutput {

  static final String FINISH_LENGTH = "length";
  static final String FINISH_STOP = "stop";

  private final int index;
  private final int[] promptTokens;
  private final int cachedTokens;
  private final int[] outputTokens;
  private final String text;
  private final int[] tokenEnds;
  private final String finishReason;
  private final String matchedStop;

  private SequenceOutput(int index, int[] promptTokens, int cachedTokens, int[] outputTokens, String text,
      int[] tokenEnds, String finishReason, String matchedStop) {
    this.index = index;
    this.promptTokens = promptTokens;
    this.cachedTokens = cachedTokens;
    this.outputTokens = outputTokens;
    this.text = text;
    this.tokenEnds = tokenEnds;
    this.finishReason = finishReason;
    this.matchedStop = matchedStop;
  }

  /**
   * Decodes up to {@code maxTokens} words after the prompt, stopping early (finish reason "stop",
   * the stop word not emitted) when a word equals one of the stop words.
   */
  static SequenceOutput decode(int index, GenerationRequest.Prompt prompt, int cachedTokens, int maxTokens,
      List<String> stopWords) {
    DeterministicModel model = new DeterministicModel(prompt.tokens());
    int[] tokens = new int[maxTokens];
    int[] ends = new int[maxTokens];
    StringBuilder text = new StringBuilder(maxTokens * 6);
    String matchedStop = null;
    int count = 0;
    while (count < maxTokens) {
      int word = model.nextWord();
      if (!stopWords.isEmpty() && stopWords.contains(Vocabulary.word(word))) {
        matchedStop = Vocabulary.word(word);
        break;
      }
      if (count > 0 || prompt.spaceBeforeFirstWord()) {
        text.append(' ');
      }
      text.append(Vocabulary.word(word));
      tokens[count] = Vocabulary.tokenId(word);
      ends[count] = text.length();
      count++;
    }
    return new SequenceOutput(index, prompt.tokens(), cachedTokens,
        count == maxTokens ? tokens : Arrays.copyOf(tokens, count), text.toString(),
        count == maxTokens ? ends : Arrays.copyOf(ends, count),
        matchedStop == null ? FINISH_LENGTH : FINISH_STOP, matchedStop);
  }

  int index() {
    return index;
  }

  int promptTokenCount() {
    return promptTokens.length;
  }

  int cachedTokens() {
    return cachedTokens;
  }

  int completionTokens() {
    return outputTokens.length;
  }

  /**
   * Decode steps this sequence runs: one per output token, one more for a generated stop word, and
   * at least one so even an empty answer is reported after a step.
   */
  int steps() {
    return Math.max(1, outputTokens.length + (matchedStop == null ? 0 : 1));
  }

  String text() {
    return text;
  }

  /** The text of output token {@code token} (with its leading space when it has one). */
  String tokenText(int token) {
    return text.substring(token == 0 ? 0 : tokenEnds[token - 1], tokenEnds[token]);
  }

  /** The text of the first {@code tokens} output tokens (SGLang streams cumulative text). */
  String textUpTo(int tokens) {
    return tokens == 0 ? "" : text.substring(0, tokenEnds[tokens - 1]);
  }

  String finishReason() {
    return finishReason;
  }

  /** The stop word that ended the sequence, or null. */
  String matchedStop() {
    return matchedStop;
  }

  /** Prompt followed by output: the sequence's KV content, cached when it finishes. */
  int[] allTokens() {
    int[] all = Arrays.copyOf(promptTokens, promptTokens.length + outputTokens.length);
    System.arraycopy(outputTokens, 0, all, promptTokens.length, outputTokens.length);
    return all;
  }
}
