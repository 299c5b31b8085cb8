package dev.shepherd.plugin.discovery.simulated;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.discovery.Discovery;
import dev.shepherd.spi.discovery.DiscoveryFactory;
import org.pf4j.Extension;

/** Starts simulated inference engines inside the gateway and registers them as workers. */
@Extension
public final class SimulatedDiscoveryFactory implements DiscoveryFactory<SimulatedDiscoveryConfig> {

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Class<SimulatedDiscoveryConfig> configType() {
        return SimulatedDiscoveryConfig.class;
    }

    @Override
    public Discovery create(SimulatedDiscoveryConfig config, PluginContext context) {
        return new SimulatedDiscovery(config, context.workers());
    }
}
