package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/** Creates {@link PrefixHashPolicy}: {@code routing.policy: prefix_hash}, parameters in {@link PrefixHashPolicyConfig}. */
@Extension
public final class PrefixHashPolicyFactory implements PolicyFactory<PrefixHashPolicyConfig> {

    @Override
    public String name() {
        return "prefix_hash";
    }

    @Override
    public Class<PrefixHashPolicyConfig> configType() {
        return PrefixHashPolicyConfig.class;
    }

    @Override
    public Policy create(PrefixHashPolicyConfig config, PluginContext context) {
        return new PrefixHashPolicy(config, context.meterRegistry());
    }
}
