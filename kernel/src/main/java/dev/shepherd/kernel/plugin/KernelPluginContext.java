package dev.shepherd.kernel.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** The {@link PluginContext} one factory's product receives. */
public final class KernelPluginContext implements PluginContext {

    private final KernelServices services;
    private final String extensionName;

    public KernelPluginContext(KernelServices services, String extensionName) {
        this.services = services;
        this.extensionName = extensionName;
    }

    @Override
    public ObjectMapper objectMapper() {
        return services.objectMapper();
    }

    @Override
    public MeterRegistry meterRegistry() {
        return services.meterRegistry();
    }

    @Override
    public Tracer tracer() {
        return services.tracer();
    }

    @Override
    public ExecutorService blockingExecutor() {
        return services.blockingExecutor();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return services.scheduler();
    }

    @Override
    public Clock clock() {
        return services.clock();
    }

    @Override
    public WorkerRegistryView workers() {
        return services.workers();
    }

    @Override
    public WorkerRegistryWriter workerWriter() {
        return services.workerWriter();
    }

    @Override
    public StateStore stateStore() {
        return services.stateStore();
    }

    @Override
    public Path dataDirectory() {
        Path dir = services.dataRoot().resolve(extensionName);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }

    @Override
    public <R> Optional<R> sharedResource(Class<R> type) {
        return Optional.ofNullable(services.sharedResources().get(type)).map(type::cast);
    }
}
