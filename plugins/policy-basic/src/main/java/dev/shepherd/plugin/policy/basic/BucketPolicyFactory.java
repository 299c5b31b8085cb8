package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/**
 * Creates {@link BucketPolicy}: {@code routing.policy: bucket}, parameters in {@link BucketPolicyConfig}.
 * The policy schedules its periodic adjustment on the context's scheduler and cancels it when closed.
 */
@Extension
public final class BucketPolicyFactory implements PolicyFactory<BucketPolicyConfig> {

    @Override
    public String name() {
        return "bucket";
    }

    @Override
    public Class<BucketPolicyConfig> configType() {
        return BucketPolicyConfig.class;
    }

    @Override
    public Policy create(BucketPolicyConfig config, PluginContext context) {
        return new BucketPolicy(config, context.scheduler());
    }
}
