package dev.shepherd.plugin.policy.basic;

/**
 * The {@code prefix_hash} section. Missing keys take SMG's defaults.
 *
 * @param prefixTokenCount {@code prefix_token_count}: how many leading (approximate) tokens of the prompt
 *     are hashed (SMG {@code --prefix-token-count}, 256)
 * @param loadFactor {@code load_factor}: a worker is over the bound when its in-flight count exceeds
 *     {@code load_factor × (mean in-flight + 1)} (SMG {@code --prefix-hash-load-factor}, 1.25); at least 1
 */
public record PrefixHashPolicyConfig(Integer prefixTokenCount, Double loadFactor) {

    public static final int DEFAULT_PREFIX_TOKEN_COUNT = 256;
    public static final double DEFAULT_LOAD_FACTOR = 1.25;

    public PrefixHashPolicyConfig {
        prefixTokenCount = prefixTokenCount == null ? DEFAULT_PREFIX_TOKEN_COUNT : prefixTokenCount;
        loadFactor = loadFactor == null ? DEFAULT_LOAD_FACTOR : loadFactor;
        if (prefixTokenCount < 1) {
            throw new IllegalArgumentException("prefix_token_count must be >= 1, not " + prefixTokenCount);
        }
        // Below 1 even a perfectly balanced fleet would be "over the bound" everywhere.
        if (!Double.isFinite(loadFactor) || loadFactor < 1.0) {
            throw new IllegalArgumentException("load_factor must be a finite number >= 1.0, not " + loadFactor);
        }
    }

    /** SMG's defaults. */
    public static PrefixHashPolicyConfig defaults() {
        return new PrefixHashPolicyConfig(null, null);
    }
}
