package dev.shepherd.kernel.testing;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.NoConfig;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * A routing policy for kernel tests, found by PF4J on the test class path (listed in the test
 * resources' {@code META-INF/extensions.idx}): always the first candidate, so tests know which
 * worker a request reaches first and which one a retry reaches next.
 */
@Extension
public final class InOrderPolicyFactory implements PolicyFactory<NoConfig> {

    public static final String NAME = "in_order";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Policy create(NoConfig config, PluginContext context) {
        return new Policy() {
            @Override
            public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
                return Optional.of(candidates.get(0));
            }
        };
    }
}
