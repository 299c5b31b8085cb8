package dev.shepherd.kernel.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the kernel lends to every plugin, gathered once; each plugin gets a {@link KernelPluginContext}
 * over it with its own data directory.
 *
 * @param sharedResources library objects lent to plugins that can use them, by type
 */
public record KernelServices(ObjectMapper objectMapper, MeterRegistry meterRegistry, Tracer tracer,
                             ExecutorService blockingExecutor, ScheduledExecutorService scheduler, Clock clock,
                             WorkerRegistryView workers, WorkerRegistryWriter workerWriter, StateStore stateStore,
                             Path dataRoot, Map<Class<?>, Object> sharedResources) {
}
