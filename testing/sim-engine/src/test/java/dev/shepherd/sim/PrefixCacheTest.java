package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrefixCacheTest {

  private static int[] tokens(int from, int count) {
    return IntStream.range(from, from + count).toArray();
  }

  @Test
  void reportsCachedFullBlocksOfARepeatedPrompt() {
    PrefixCache cache = new PrefixCache(4, 1024);
    int[] prompt = tokens(0, 10);

    assertThat(cache.matchAndInsert(prompt)).isZero();
    assertThat(cache.matchAndInsert(prompt)).isEqualTo(8);
    assertThat(cache.hitTokens()).isEqualTo(8);
    assertThat(cache.lookedUpTokens()).isEqualTo(20);
  }

  @Test
  void neverReportsTheWholePromptAsCached() {
    PrefixCache cache = new PrefixCache(4, 1024);
    int[] prompt = tokens(0, 8);
    cache.matchAndInsert(prompt);

    assertThat(cache.matchAndInsert(prompt)).isEqualTo(4);
  }

  @Test
  void matchesOnlyTheSharedPrefix() {
    PrefixCache cache = new PrefixCache(4, 1024);
    cache.matchAndInsert(tokens(0, 12));
    int[] diverging = tokens(0, 12);
    diverging[5] = 99;

    assertThat(cache.matchAndInsert(diverging)).isEqualTo(4);
  }

  @Test
  void sameBlockAfterADifferentPrefixDoesNotMatch() {
    PrefixCache cache = new PrefixCache(4, 1024);
    cache.matchAndInsert(tokens(0, 9));
    int[] otherStart = Arrays.copyOf(tokens(0, 9), 9);
    otherStart[0] = 42;

    assertThat(cache.matchAndInsert(otherStart)).isZero();
  }

  @Test
  void evictsLeastRecentlyUsedBlocksBeyondCapacity() {
    PrefixCache cache = new PrefixCache(4, 8);
    int[] first = tokens(0, 9);
    int[] second = tokens(100, 9);
    cache.matchAndInsert(first);
    cache.matchAndInsert(second);

    assertThat(cache.cachedTokens()).isEqualTo(8);
    assertThat(cache.matchAndInsert(first)).isZero();
  }

  @Test
  void insertsFinishedSequencesAndFlushes() {
    PrefixCache cache = new PrefixCache(4, 1024);
    int[] sequence = tokens(0, 12);
    cache.insert(sequence, sequence.length);

    assertThat(cache.matchAndInsert(tokens(0, 13))).isEqualTo(12);
    cache.clear();
    assertThat(cache.matchAndInsert(tokens(0, 13))).isZero();
  }
}
