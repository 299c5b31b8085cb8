package dev.shepherd.plugin.policy.basic;

import java.util.List;

/**
 * The {@code bucket} section. Missing keys take SMG's defaults.
 *
 * @param boundaries {@code boundaries}: fixed prompt lengths, in characters and strictly increasing,
 *     at which a new bucket starts ({@code [1024, 8192]} makes three buckets: under 1024, 1024 to 8191,
 *     8192 and over). Empty (the default) learns one bucket per worker from the traffic, as SMG does.
 * @param initialMaxLength {@code initial_max_length}: before anything is learned, lengths
 *     {@code [0, initial_max_length)} are split evenly over the workers and the last bucket is open
 *     (SMG's {@code l_max}, 4096)
 * @param adjustIntervalSecs {@code adjust_interval_secs}: how often learned boundaries are recomputed and
 *     the balance window slides (SMG's {@code bucket_adjust_interval_secs}, 5)
 * @param balanceAbsThreshold {@code balance_abs_threshold}: a request leaves its bucket for the quietest
 *     worker when, over the balance window, the busiest worker received more than this many characters
 *     beyond the quietest and more than {@code balance_rel_threshold} times as many (SMG
 *     {@code --balance-abs-threshold}, 64)
 * @param balanceRelThreshold {@code balance_rel_threshold}: the ratio half of that test (SMG
 *     {@code --balance-rel-threshold}, 1.5); at least 1
 */
public record BucketPolicyConfig(List<Integer> boundaries, Integer initialMaxLength, Integer adjustIntervalSecs,
                                 Integer balanceAbsThreshold, Double balanceRelThreshold) {

    public static final int DEFAULT_INITIAL_MAX_LENGTH = 4096;
    public static final int DEFAULT_ADJUST_INTERVAL_SECS = 5;
    public static final int DEFAULT_BALANCE_ABS_THRESHOLD = 64;
    public static final double DEFAULT_BALANCE_REL_THRESHOLD = 1.5;

    public BucketPolicyConfig {
        boundaries = boundaries == null ? List.of() : validBoundaries(boundaries);
        initialMaxLength = initialMaxLength == null ? DEFAULT_INITIAL_MAX_LENGTH : initialMaxLength;
        adjustIntervalSecs = adjustIntervalSecs == null ? DEFAULT_ADJUST_INTERVAL_SECS : adjustIntervalSecs;
        balanceAbsThreshold = balanceAbsThreshold == null ? DEFAULT_BALANCE_ABS_THRESHOLD : balanceAbsThreshold;
        balanceRelThreshold = balanceRelThreshold == null ? DEFAULT_BALANCE_REL_THRESHOLD : balanceRelThreshold;
        if (initialMaxLength < 1) {
            throw new IllegalArgumentException("initial_max_length must be >= 1, not " + initialMaxLength);
        }
        if (adjustIntervalSecs < 1) {
            throw new IllegalArgumentException("adjust_interval_secs must be >= 1, not " + adjustIntervalSecs);
        }
        if (balanceAbsThreshold < 0) {
            throw new IllegalArgumentException("balance_abs_threshold must be >= 0, not " + balanceAbsThreshold);
        }
        if (!Double.isFinite(balanceRelThreshold) || balanceRelThreshold < 1.0) {
            throw new IllegalArgumentException("balance_rel_threshold must be a finite number >= 1.0, not "
                    + balanceRelThreshold);
        }
    }

    /** SMG's defaults: learned boundaries. */
    public static BucketPolicyConfig defaults() {
        return new BucketPolicyConfig(null, null, null, null, null);
    }

    /** True when the boundaries are learned from traffic rather than configured. */
    public boolean learnsBoundaries() {
        return boundaries.isEmpty();
    }

    private static List<Integer> validBoundaries(List<Integer> boundaries) {
        int previous = 0;
        for (Integer boundary : boundaries) {
            if (boundary == null || boundary <= previous) {
                throw new IllegalArgumentException(
                        "boundaries must be strictly increasing lengths >= 1, not " + boundaries);
            }
            previous = boundary;
        }
        return List.copyOf(boundaries);
    }
}
