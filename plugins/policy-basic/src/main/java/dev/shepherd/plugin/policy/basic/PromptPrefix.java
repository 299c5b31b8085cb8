package dev.shepherd.plugin.policy.basic;

/**
 * Where the first N tokens of a prompt end, approximated without a tokenizer. SMG's
 * {@code prefix_hash} hashes real token ids, which only its gRPC path has; the SPI hands policies the
 * routing text, so tokens are approximated as BPE tokenizers roughly behave: a run of non-whitespace
 * characters is split into pieces of at most {@value #MAX_TOKEN_CHARS} characters (about the average
 * English token), and whitespace only separates. Splitting long runs matters for text without spaces
 * (CJK, code, base64), which would otherwise count as one giant token and make the "prefix" the whole
 * prompt.
 *
 * <p>The prefix is the text up to the end of the N-th token, whitespace included, so two prompts share
 * a prefix hash exactly when their first N tokens are written identically, as an engine's prefix cache
 * also requires.
 */
final class PromptPrefix {

    static final int MAX_TOKEN_CHARS = 4;

    private PromptPrefix() {
    }

    /** The index just past the {@code tokenCount}-th approximate token, or the text's length if it has fewer. */
    static int end(CharSequence text, int tokenCount) {
        int length = text.length();
        int tokens = 0;
        int runChars = 0; // characters of the token being read; 0 between tokens
        for (int i = 0; i < length; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                if (runChars > 0) {
                    runChars = 0;
                    if (++tokens == tokenCount) {
                        return i;
                    }
                }
            } else if (++runChars == MAX_TOKEN_CHARS) {
                runChars = 0;
                if (++tokens == tokenCount) {
                    return i + 1;
                }
            }
        }
        return length;
    }
}
