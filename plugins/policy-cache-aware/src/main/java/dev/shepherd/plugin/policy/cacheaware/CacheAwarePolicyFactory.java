package dev.shepherd.plugin.policy.cacheaware;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import org.pf4j.Extension;

/**
 * Creates {@link CacheAwarePolicy}: {@code routing.policy: cache_aware}, parameters in
 * {@link CacheAwarePolicyConfig}. The kernel creates one policy per routed model, so each model has its
 * own prefix tree. The policy schedules its eviction on the context's scheduler, runs it on the
 * blocking executor, and cancels it when closed.
 */
@Extension
public final class CacheAwarePolicyFactory implements PolicyFactory<CacheAwarePolicyConfig> {

    @Override
    public String name() {
        return "cache_aware";
    }

    @Override
    public Class<CacheAwarePolicyConfig> configType() {
        return CacheAwarePolicyConfig.class;
    }

    @Override
    public Policy create(CacheAwarePolicyConfig config, PluginContext context) {
        return new CacheAwarePolicy(config, context.scheduler(), context.blockingExecutor(), context.meterRegistry());
    }
}
