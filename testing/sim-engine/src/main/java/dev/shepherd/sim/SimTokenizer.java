package dev.shepherd.sim;

import java.util.Arrays;

/**
 * A deterministic stand-in for a real tokenizer: a run of letters or digits is one token, every other
 * non-space character is a token of its own, whitespace separates tokens and is dropped, and a chat
 * marker such as {@code <|im_start|>} is one token. Token ids are 32-bit FNV-1a hashes of the token
 * text, so the same text always yields the same ids and counts, in every engine and every run.
 *
 * <p>Because whitespace only separates, {@code encode(a + b)} equals {@code encode(a)} followed by
 * {@code encode(b)} whenever a split between a and b falls on whitespace or punctuation. That is what
 * makes prefix caching and continuation of generated text (words joined by spaces) line up.
 */
final class SimTokenizer {

  private static final int FNV_OFFSET = 0x811C9DC5;
  private static final int FNV_PRIME = 0x01000193;
  private static final int MAX_MARKER_LENGTH = 48;

  private SimTokenizer() {
  }

  /** Token ids of a text. */
  static int[] encode(CharSequence text) {
    int length = text.length();
    int[] ids = new int[Math.max(8, length / 3)];
    int count = 0;
    int i = 0;
    while (i < length) {
      char c = text.charAt(i);
      int end;
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      } else if (Character.isLetterOrDigit(c)) {
        end = i + 1;
        while (end < length && Character.isLetterOrDigit(text.charAt(end))) {
          end++;
        }
      } else {
        end = chatMarkerEnd(text, i);
        if (end < 0) {
          end = i + 1;
        }
      }
      if (count == ids.length) {
        ids = Arrays.copyOf(ids, count * 2);
      }
      ids[count++] = tokenId(text, i, end);
      i = end;
    }
    return count == ids.length ? ids : Arrays.copyOf(ids, count);
  }

  /** The id of a text that is exactly one token (a vocabulary word). */
  static int tokenId(CharSequence token) {
    return tokenId(token, 0, token.length());
  }

  private static int tokenId(CharSequence text, int start, int end) {
    int hash = FNV_OFFSET;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      hash = (hash ^ (c & 0xFF)) * FNV_PRIME;
      hash = (hash ^ (c >>> 8)) * FNV_PRIME;
    }
    return hash;
  }

  /** End (exclusive) of a {@code <|name|>} marker starting at {@code start}, or -1 when there is none. */
  private static int chatMarkerEnd(CharSequence text, int start) {
    int length = text.length();
    if (text.charAt(start) != '<' || start + 1 >= length || text.charAt(start + 1) != '|') {
      return -1;
    }
    int limit = Math.min(length - 1, start + MAX_MARKER_LENGTH);
    for (int i = start + 2; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '|') {
        return text.charAt(i + 1) == '>' && i > start + 2 ? i + 2 : -1;
      }
      if (!Character.isLetterOrDigit(c) && c != '_') {
        return -1;
      }
    }
    return -1;
  }
}
