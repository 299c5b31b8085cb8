package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The mean in-flight count of a candidate list, for load bounds. Exact for lists up to
 * {@value #EXACT_LIMIT} workers; above that a uniform sample of {@value #SAMPLE_SIZE} estimates it, so
 * the cost per request stays constant however large the fleet. Loads are already a slightly stale,
 * lock-free reading, and the bounds built on the mean have slack (a factor and a +1), so a sampled
 * mean serves as well as an exact one.
 */
final class FleetLoad {

    static final int EXACT_LIMIT = 256;
    static final int SAMPLE_SIZE = 64;

    private FleetLoad() {
    }

    static double meanInFlight(List<Worker> candidates) {
        int n = candidates.size();
        long total = 0;
        if (n <= EXACT_LIMIT) {
            for (int i = 0; i < n; i++) {
                total += candidates.get(i).load().inFlight();
            }
            return (double) total / n;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < SAMPLE_SIZE; i++) {
            total += candidates.get(random.nextInt(n)).load().inFlight();
        }
        return (double) total / SAMPLE_SIZE;
    }
}
