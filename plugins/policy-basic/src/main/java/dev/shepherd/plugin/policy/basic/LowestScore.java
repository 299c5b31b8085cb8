package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToDoubleFunction;

/**
 * Finds the candidate with the lowest score in one pass. The scan starts at a random position and only
 * a strictly lower score replaces the best so far, so ties go to a uniformly random one of the tied
 * workers: an idle fleet is spread over rather than the first worker taking every burst that arrives
 * before its in-flight count moves.
 */
final class LowestScore {

    private LowestScore() {
    }

    /** The position in {@code candidates} of a worker with the lowest score. */
    static int positionOf(List<Worker> candidates, ToDoubleFunction<Worker> score) {
        int n = candidates.size();
        int start = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            int position = (start + k) % n;
            double s = score.applyAsDouble(candidates.get(position));
            if (best < 0 || s < bestScore) {
                best = position;
                bestScore = s;
            }
        }
        return best;
    }
}
