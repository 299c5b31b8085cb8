package dev.shepherd.plugin.policy.basic;

/**
 * The {@code manual} section. Missing keys take SMG's CLI defaults.
 *
 * @param maxIdleSecs {@code max_idle_secs}: a routing key unused this long forgets its worker
 *     (SMG {@code --max-idle-secs}, 14400)
 * @param assignmentMode {@code assignment_mode}: {@code random}, {@code min_load} or {@code min_group}
 *     (SMG {@code --assignment-mode}, random)
 * @param evictionIntervalSecs {@code eviction_interval_secs}: how often idle keys are swept
 *     (SMG {@code --eviction-interval}, 120)
 */
public record ManualPolicyConfig(Integer maxIdleSecs, AssignmentMode assignmentMode, Integer evictionIntervalSecs) {

    public static final int DEFAULT_MAX_IDLE_SECS = 14_400;
    public static final AssignmentMode DEFAULT_ASSIGNMENT_MODE = AssignmentMode.RANDOM;
    public static final int DEFAULT_EVICTION_INTERVAL_SECS = 120;

    public ManualPolicyConfig {
        maxIdleSecs = maxIdleSecs == null ? DEFAULT_MAX_IDLE_SECS : maxIdleSecs;
        assignmentMode = assignmentMode == null ? DEFAULT_ASSIGNMENT_MODE : assignmentMode;
        evictionIntervalSecs = evictionIntervalSecs == null ? DEFAULT_EVICTION_INTERVAL_SECS : evictionIntervalSecs;
        if (maxIdleSecs < 1) {
            throw new IllegalArgumentException("max_idle_secs must be >= 1, not " + maxIdleSecs);
        }
        if (evictionIntervalSecs < 1) {
            throw new IllegalArgumentException("eviction_interval_secs must be >= 1, not " + evictionIntervalSecs);
        }
    }

    /** SMG's defaults. */
    public static ManualPolicyConfig defaults() {
        return new ManualPolicyConfig(null, null, null);
    }
}
