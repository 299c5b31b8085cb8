package dev.shepherd.sim;

/**
 * The fixed words a simulated engine generates. Each word is letters only, so the tokenizer reads it
 * back as exactly one token, which keeps generated text and its token count in step.
 */
final class Vocabulary {

  private static final String[] WORDS = {
      "the", "of", "and", "to", "in", "is", "that", "it", "was", "for",
      "on", "are", "as", "with", "they", "be", "at", "one", "have", "this",
      "from", "or", "had", "by", "word", "but", "what", "some", "we", "can",
      "out", "other", "were", "all", "there", "when", "up", "use", "your", "how",
      "said", "an", "each", "she", "which", "do", "their", "time", "if", "will",
      "way", "about", "many", "then", "them", "write", "would", "like", "so", "these",
      "her", "long", "make", "thing", "see", "him", "two", "has", "look", "more",
      "day", "could", "go", "come", "did", "number", "sound", "no", "most", "people",
      "my", "over", "know", "water", "than", "call", "first", "who", "may", "down",
      "side", "been", "now", "find", "any", "new", "work", "part", "take", "get",
      "place", "made", "live", "where", "after", "back", "little", "only", "round", "man",
      "year", "came", "show", "every", "good", "me", "give", "our", "under", "name",
      "very", "through", "just", "form", "sentence", "great", "think", "say"};

  private static final int[] TOKEN_IDS = new int[WORDS.length];

  static {
    for (int i = 0; i < WORDS.length; i++) {
      TOKEN_IDS[i] = SimTokenizer.tokenId(WORDS[i]);
    }
  }

  private Vocabulary() {
  }

  static int size() {
    return WORDS.length;
  }

  static String word(int index) {
    return WORDS[index];
  }

  static int tokenId(int index) {
    return TOKEN_IDS[index];
  }

  /** The word index a 64-bit model state selects. */
  static int pick(long state) {
    return (int) Long.remainderUnsigned(state, WORDS.length);
  }
}
