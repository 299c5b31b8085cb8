package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.NoConfig;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/** Creates {@link ConsistentHashingPolicy}: {@code routing.policy: consistent_hashing}, no parameters. */
@Extension
public final class ConsistentHashingPolicyFactory implements PolicyFactory<NoConfig> {

    @Override
    public String name() {
        return "consistent_hashing";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Policy create(NoConfig config, PluginContext context) {
        return new ConsistentHashingPolicy(context.meterRegistry());
    }
}
