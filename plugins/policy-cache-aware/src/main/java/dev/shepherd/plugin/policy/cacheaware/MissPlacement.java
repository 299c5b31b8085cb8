package dev.shepherd.plugin.policy.cacheaware;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where {@code cache_aware} sends a request whose prompt matches no worker's tree well enough (a cache
 * miss). Both skip workers over the KV high watermark while a cooler one exists.
 */
public enum MissPlacement {

    /**
     * The worker with the least work (in flight, plus queued prompt tokens), ties broken at random.
     * SMG's code does this (with a deterministic tie-break, which piles a burst of misses onto one worker).
     */
    @JsonProperty("min_load")
    MIN_LOAD,

    /**
     * Among the workers with the least work, the one whose tree holds the fewest characters: new
     * prefixes go where cache space is freest. SMG's module documentation describes this ("smallest
     * tree"), its code does not.
     */
    @JsonProperty("smallest_tree")
    SMALLEST_TREE
}
