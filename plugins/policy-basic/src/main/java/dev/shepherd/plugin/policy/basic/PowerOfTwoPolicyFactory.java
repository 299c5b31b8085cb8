package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.NoConfig;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/** Creates {@link PowerOfTwoPolicy}: {@code routing.policy: power_of_two}, no parameters. */
@Extension
public final class PowerOfTwoPolicyFactory implements PolicyFactory<NoConfig> {

    @Override
    public String name() {
        return "power_of_two";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Policy create(NoConfig config, PluginContext context) {
        return new PowerOfTwoPolicy();
    }
}
