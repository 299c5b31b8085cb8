package dev.shepherd.kernel.routing;

import dev.shepherd.kernel.manifest.ResilienceSection;
import java.util.concurrent.ThreadLocalRandom;

/** SMG's retry delay: {@code min(initial × multiplier^i, max)}, spread by ± jitter. */
final class RetryBackoff {

    private RetryBackoff() {
    }

    /** Delay before retry number {@code retry} (0 for the first retry), in milliseconds. */
    static long delayMillis(ResilienceSection config, int retry) {
        double base = Math.min(config.initialBackoffMs() * Math.pow(config.backoffMultiplier(), retry), config.maxBackoffMs());
        double jitter = config.jitterFactor() == 0 ? 0
                : ThreadLocalRandom.current().nextDouble(-config.jitterFactor(), config.jitterFactor());
        return Math.max(0, Math.round(base * (1 + jitter)));
    }
}
