package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimTokenizerTest {

  @Test
  void splitsOnWhitespaceAndPunctuation() {
    assertThat(SimTokenizer.encode("Hello, world!  How are you?")).hasSize(8);
    assertThat(SimTokenizer.encode("")).isEmpty();
    assertThat(SimTokenizer.encode("   \n\t ")).isEmpty();
  }

  @Test
  void chatMarkersAreSingleTokens() {
    assertThat(SimTokenizer.encode("<|im_start|>user\nhi<|im_end|>")).hasSize(4);
    assertThat(SimTokenizer.encode("a <| b")).hasSize(4);
  }

  @Test
  void sameTextAlwaysYieldsSameIds() {
    assertThat(SimTokenizer.encode("stable token ids")).isEqualTo(SimTokenizer.encode("stable token ids"));
    assertThat(SimTokenizer.encode("one")).isNotEqualTo(SimTokenizer.encode("two"));
  }

  @Test
  void concatenationAtWhitespaceConcatenatesTokens() {
    int[] whole = SimTokenizer.encode("the prompt text and the answer");
    int[] prompt = SimTokenizer.encode("the prompt text");
    int[] answer = SimTokenizer.encode(" and the answer");
    assertThat(whole).isEqualTo(IntStream.concat(IntStream.of(prompt), IntStream.of(answer)).toArray());
  }

  @Test
  void everyVocabularyWordIsExactlyOneToken() {
    for (int word = 0; word < Vocabulary.size(); word++) {
      assertThat(SimTokenizer.encode(Vocabulary.word(word))).containsExactly(Vocabulary.tokenId(word));
    }
  }

  @Test
  void modelContinuesAContextTheSameWayWhereverItWasCut() {
    int[] prompt = SimTokenizer.encode("a prompt");
    DeterministicModel model = new DeterministicModel(prompt);
    int[] words = IntStream.range(0, 8).map(i -> model.nextWord()).toArray();

    int[] promptAndFirstThree = IntStream.concat(IntStream.of(prompt),
        IntStream.of(words).limit(3).map(Vocabulary::tokenId)).toArray();
    DeterministicModel resumed = new DeterministicModel(promptAndFirstThree);

    assertThat(IntStream.range(0, 5).map(i -> resumed.nextWord()).toArray())
        .containsExactly(words[3], words[4], words[5], words[6], words[7]);
  }
}
