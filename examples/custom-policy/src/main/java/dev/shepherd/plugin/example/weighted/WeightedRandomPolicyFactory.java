package dev.shepherd.plugin.example.weighted;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/** Registers the {@code weighted_random} policy. PF4J finds it through {@code @Extension}. */
@Extension
public final class WeightedRandomPolicyFactory implements PolicyFactory<WeightedRandomPolicyConfig> {

    @Override
    public String name() {
        return "weighted_random";
    }

    @Override
    public Class<WeightedRandomPolicyConfig> configType() {
        return WeightedRandomPolicyConfig.class;
    }

    @Override
    public Policy create(WeightedRandomPolicyConfig config, PluginContext context) {
        return new WeightedRandomPolicy(config);
    }
}
