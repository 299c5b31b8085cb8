package dev.shepherd.plugin.policy.basic;

/**
 * The {@code least_load} section. Missing keys take SMG's defaults.
 *
 * @param kvPressureWeight {@code kv_pressure_weight}: seconds of penalty per unit of
 *     {@code k/(1-k)} KV-cache pressure (SMG {@code --least-load-kv-pressure-weight}, 0.15)
 * @param defaultThroughput {@code default_throughput}: tokens per second a worker is assumed to work
 *     through (SMG {@code --least-load-default-throughput}, 2000.0)
 * @param meanPrefillTokens {@code mean_prefill_tokens}: tokens charged per in-flight request whose size
 *     is unknown (SMG {@code --least-load-mean-prefill-tokens}, 1024)
 */
public record LeastLoadPolicyConfig(Double kvPressureWeight, Double defaultThroughput, Integer meanPrefillTokens) {

    public static final double DEFAULT_KV_PRESSURE_WEIGHT = 0.15;
    public static final double DEFAULT_THROUGHPUT = 2000.0;
    public static final int DEFAULT_MEAN_PREFILL_TOKENS = 1024;

    public LeastLoadPolicyConfig {
        kvPressureWeight = kvPressureWeight == null ? DEFAULT_KV_PRESSURE_WEIGHT : kvPressureWeight;
        defaultThroughput = defaultThroughput == null ? DEFAULT_THROUGHPUT : defaultThroughput;
        meanPrefillTokens = meanPrefillTokens == null ? DEFAULT_MEAN_PREFILL_TOKENS : meanPrefillTokens;
        if (!Double.isFinite(kvPressureWeight) || kvPressureWeight < 0) {
            throw new IllegalArgumentException("kv_pressure_weight must be a finite number >= 0, not " + kvPressureWeight);
        }
        if (!Double.isFinite(defaultThroughput) || defaultThroughput <= 0) {
            throw new IllegalArgumentException("default_throughput must be a finite number > 0, not " + defaultThroughput);
        }
        if (meanPrefillTokens < 1) {
            throw new IllegalArgumentException("mean_prefill_tokens must be >= 1, not " + meanPrefillTokens);
        }
    }

    /** SMG's defaults. */
    public static LeastLoadPolicyConfig defaults() {
        return new LeastLoadPolicyConfig(null, null, null);
    }
}
