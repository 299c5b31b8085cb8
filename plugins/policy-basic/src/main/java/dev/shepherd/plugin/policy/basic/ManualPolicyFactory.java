package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/**
 * Creates {@link ManualPolicy}: {@code routing.policy: manual}, parameters in {@link ManualPolicyConfig}.
 * The policy schedules its idle sweep on the context's scheduler and cancels it when closed.
 */
@Extension
public final class ManualPolicyFactory implements PolicyFactory<ManualPolicyConfig> {

    @Override
    public String name() {
        return "manual";
    }

    @Override
    public Class<ManualPolicyConfig> configType() {
        return ManualPolicyConfig.class;
    }

    @Override
    public Policy create(ManualPolicyConfig config, PluginContext context) {
        return new ManualPolicy(config, context.clock(), context.scheduler(), context.meterRegistry());
    }
}
