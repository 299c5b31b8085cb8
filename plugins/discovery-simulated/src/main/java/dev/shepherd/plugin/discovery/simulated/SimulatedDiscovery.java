package dev.shepherd.plugin.discovery.simulated;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.spi.discovery.Discovery;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import dev.shepherd.spi.worker.WorkerSpec;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded defaults' workers: simulated engines on loopback ports, registered like any other
 * worker, so a fresh gateway answers requests with nothing else running.
 */
final class SimulatedDiscovery implements Discovery {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDiscovery.class);

    private final SimulatedDiscoveryConfig config;
    private final WorkerRegistryView workers;
    private final List<SimEngine> engines = new ArrayList<>();

    SimulatedDiscovery(SimulatedDiscoveryConfig config, WorkerRegistryView workers) {
        this.config = config;
        this.workers = workers;
    }

    @Override
    public void start(WorkerRegistryWriter registry) {
        if (config.onlyWithoutStaticWorkers() && !workers.all().isEmpty()) {
            LOG.info("workers are configured: not starting simulated workers");
            return;
        }
        for (int i = 0; i < config.workers(); i++) {
            SimEngine engine = SimEngine.start(SimEngineConfig.defaults().withPort(0)
                    .withModels(config.model()).withDecodeMs(config.decodeMs()));
            engines.add(engine);
            LOG.info("started simulated worker {} serving {}", engine.url(), config.model());
            registry.register(WorkerSpec.of(engine.url()).withModels(List.of(config.model())));
        }
    }

    /** The engines started, for tests. */
    List<SimEngine> engines() {
        return List.copyOf(engines);
    }

    @Override
    public void close() {
        engines.forEach(SimEngine::close);
        engines.clear();
    }
}
