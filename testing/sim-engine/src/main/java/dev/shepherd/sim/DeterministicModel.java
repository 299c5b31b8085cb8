package dev.shepherd.sim;

/**
 * The "language model": the next word is a pure function of every token before it (the prompt, then
 * the words generated so far), folded into one 64-bit state. Like greedy decoding of a real model, a
 * context always continues the same way, so a request whose prompt already contains the first k
 * generated words (a partial assistant message, or a completion prompt extended with them) produces
 * exactly words k+1, k+2, ... of the original answer.
 */
final class DeterministicModel {

  private static final long SEED = 0x5348_4550_4845_5244L;

  private long state = SEED;

  /** A model that has read {@code contextTokens}. */
  DeterministicModel(int[] contextTokens) {
    for (int token : contextTokens) {
      append(token);
    }
  }

  /** Picks the next word and appends it to the context; returns its vocabulary index. */
  int nextWord() {
    int word = Vocabulary.pick(state);
    append(Vocabulary.tokenId(word));
    return word;
  }

  /** The current context's state; also seeds deterministic embedding vectors. */
  long state() {
    return state;
  }

  private void append(int tokenId) {
    state = mix(state ^ (tokenId * 0x9E37_79B9_7F4A_7C15L));
  }

  /** SplitMix64's finalizer: a cheap bijective mix with good avalanche. */
  static long mix(long value) {
    long z = value;
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
