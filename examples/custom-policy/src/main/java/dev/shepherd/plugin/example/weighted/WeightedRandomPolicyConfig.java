package dev.shepherd.plugin.example.weighted;

/**
 * {@code routing: policies: weighted_random: {default_weight: 1.0}}.
 *
 * @param defaultWeight the weight of a worker without a {@code weight} label (1.0)
 */
public record WeightedRandomPolicyConfig(Double defaultWeight) {

    public WeightedRandomPolicyConfig {
        defaultWeight = defaultWeight == null ? 1.0 : defaultWeight;
        if (defaultWeight <= 0) {
            throw new IllegalArgumentException("default_weight must be positive, got " + defaultWeight);
        }
    }
}
