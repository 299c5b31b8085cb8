package dev.shepherd.plugin.policy.basic;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the {@code manual} policy picks a worker for a routing key it has not seen (SMG {@code --assignment-mode}). */
public enum AssignmentMode {

    /** Uniformly at random. SMG's default. */
    @JsonProperty("random")
    RANDOM,

    /** The worker with the fewest in-flight requests, ties at random. */
    @JsonProperty("min_load")
    MIN_LOAD,

    /** The worker holding the fewest sticky routing keys, ties at random: spreads sessions evenly. */
    @JsonProperty("min_group")
    MIN_GROUP
}
