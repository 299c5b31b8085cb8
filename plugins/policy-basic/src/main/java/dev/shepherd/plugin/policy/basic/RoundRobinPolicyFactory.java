package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.NoConfig;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/** Creates {@link RoundRobinPolicy}: {@code routing.policy: round_robin}, no parameters. */
@Extension
public final class RoundRobinPolicyFactory implements PolicyFactory<NoConfig> {

    @Override
    public String name() {
        return "round_robin";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Policy create(NoConfig config, PluginContext context) {
        return new RoundRobinPolicy();
    }
}
