package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/** Creates {@link LeastLoadPolicy}: {@code routing.policy: least_load}, parameters in {@link LeastLoadPolicyConfig}. */
@Extension
public final class LeastLoadPolicyFactory implements PolicyFactory<LeastLoadPolicyConfig> {

    @Override
    public String name() {
        return "least_load";
    }

    @Override
    public Class<LeastLoadPolicyConfig> configType() {
        return LeastLoadPolicyConfig.class;
    }

    @Override
    public Policy create(LeastLoadPolicyConfig config, PluginContext context) {
        return new LeastLoadPolicy(config);
    }
}
