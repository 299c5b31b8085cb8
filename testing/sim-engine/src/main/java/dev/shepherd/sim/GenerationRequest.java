package dev.shepherd.sim;

import java.util.List;

/**
 * A parsed generation request, whatever API it came through.
 *
 * @param api the API, which decides the response shape
 * @param model the served model id the request resolved to
 * @param prompts one prompt per sequence to generate (completions and generate accept batches)
 * @param maxTokens output tokens per sequence
 * @param stream answer as server-sent events
 * @param includeUsage add a usage chunk at the end of a stream
 * @param stop words that end a sequence with finish reason "stop" when generated
 */
record GenerationRequest(
    Api api,
    String model,
    List<Prompt> prompts,
    int maxTokens,
    boolean stream,
    boolean includeUsage,
    List<String> stop) {

  /** The generation APIs the engine speaks. */
  enum Api { CHAT, COMPLETION, GENERATE }

  /**
   * One prompt as tokens.
   *
   * @param tokens the full context the model reads, partial assistant text included
   * @param spaceBeforeFirstWord whether the first generated word needs a leading space (the context
   *     does not end in whitespace), so that context text + generated text reads as words
   */
  record Prompt(int[] tokens, boolean spaceBeforeFirstWord) {

    static Prompt ofText(String text) {
      boolean endsWithSpace = text.isEmpty() || Character.isWhitespace(text.charAt(text.length() - 1));
      return new Prompt(SimTokenizer.encode(text), !endsWithSpace);
    }

    static Prompt ofTokens(int[] tokens) {
      return new Prompt(tokens, tokens.length > 0);
    }
  }

  int totalPromptTokens() {
    int total = 0;
    for (Prompt prompt : prompts) {
      total += prompt.tokens().length;
    }
    return total;
  }
}
