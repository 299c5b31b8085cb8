package dev.shepherd.plugin.policy.basic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

class LengthHistogramTest {

    private final LengthHistogram histogram = new LengthHistogram();

    @Test
    void everyLengthFallsInsideItsSlotsBounds() {
        for (int length = 0; length < 200_000; length += length < 1_000 ? 1 : 37) {
            int slot = LengthHistogram.slotOf(length);
            assertThat(slot).isBetween(0, LengthHistogram.SLOTS - 1);
            assertThat(LengthHistogram.lowerBound(slot)).isLessThanOrEqualTo(length);
            assertThat(LengthHistogram.upperBound(slot)).isGreaterThanOrEqualTo(length);
        }
        int last = LengthHistogram.slotOf(Integer.MAX_VALUE);
        assertThat(last).isEqualTo(LengthHistogram.SLOTS - 1);
        assertThat(LengthHistogram.upperBound(last)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void cutsBetweenTwoPopulationsOfLengths() {
        for (int i = 0; i < 100; i++) {
            histogram.record(100);
            histogram.record(1_000);
        }
        // The slot holding 1000 is [960, 1023]: the nearest edge to an equal split of characters.
        assertThat(histogram.cutPoints(2)).containsExactly(960);
    }

    @Test
    void splitsCharactersIntoEqualShares() {
        for (int length = 1; length <= 1_000; length++) {
            histogram.record(length);
        }
        // Characters up to length x grow as x^2: equal quarters end near 500, 707 and 866.
        int[] cuts = histogram.cutPoints(4);
        assertThat(cuts).hasSize(3);
        assertThat(cuts[0]).isCloseTo(500, withinPercentage(10));
        assertThat(cuts[1]).isCloseTo(707, withinPercentage(10));
        assertThat(cuts[2]).isCloseTo(866, withinPercentage(10));
    }

    @Test
    void waitsForAtLeastOneRequestPerBucket() {
        histogram.record(500);
        histogram.record(600);
        assertThat(histogram.cutPoints(3)).isNull();
        histogram.record(700);
        assertThat(histogram.cutPoints(3)).hasSize(2);
    }

    @Test
    void decayLetsOldTrafficFade() {
        for (int i = 0; i < 8; i++) {
            histogram.record(300);
        }
        for (int i = 0; i < 3; i++) {
            histogram.decay();
        }
        assertThat(histogram.cutPoints(2)).isNull(); // 8 halved three times is 1 request
    }
}
