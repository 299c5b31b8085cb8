package dev.shepherd.plugin.policy.basic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptPrefixTest {

    @Test
    void countsWhitespaceSeparatedWordsAsTokens() {
        String text = "You are  a\thelpful assistant";
        assertThat(text.substring(0, PromptPrefix.end(text, 1))).isEqualTo("You");
        assertThat(text.substring(0, PromptPrefix.end(text, 3))).isEqualTo("You are  a");
    }

    @Test
    void splitsLongRunsIntoFourCharacterTokens() {
        String text = "internationalisation is long";
        assertThat(text.substring(0, PromptPrefix.end(text, 2))).isEqualTo("internat");
        assertThat(text.substring(0, PromptPrefix.end(text, 5))).isEqualTo("internationalisation");
        assertThat(text.substring(0, PromptPrefix.end(text, 6))).isEqualTo("internationalisation is");
    }

    @Test
    void splitsTextWithoutSpacesToo() {
        String text = "你好世界你好世界你好世界";
        assertThat(PromptPrefix.end(text, 2)).isEqualTo(8);
    }

    @Test
    void takesTheWholeTextWhenItHasFewerTokens() {
        assertThat(PromptPrefix.end("  just three words  ", 256)).isEqualTo(20);
        assertThat(PromptPrefix.end("", 256)).isZero();
    }
}
