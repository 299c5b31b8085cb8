package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The parts of a plugin context this API uses: a mapper configured like the kernel's, a fixed clock and
 * an in-memory registry. Anything else is not this plugin's business and throws.
 */
final class TestPluginContext implements PluginContext {

    static final Instant START = Instant.parse("2026-01-02T03:04:05Z");

    /** Like the kernel's shared mapper: snake_case aware, lenient on unknown fields. */
    static final ObjectMapper KERNEL_MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final InMemoryWorkerRegistry workers = new InMemoryWorkerRegistry();
    private final Clock clock = Clock.fixed(START, ZoneOffset.UTC);

    InMemoryWorkerRegistry registry() {
        return workers;
    }

    @Override
    public ObjectMapper objectMapper() {
        return KERNEL_MAPPER;
    }

    @Override
    public WorkerRegistryView workers() {
        return workers;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public MeterRegistry meterRegistry() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Tracer tracer() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ExecutorService blockingExecutor() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        throw new UnsupportedOperationException();
    }

    @Override
    public WorkerRegistryWriter workerWriter() {
        throw new UnsupportedOperationException();
    }

    @Override
    public StateStore stateStore() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Path dataDirectory() {
        throw new UnsupportedOperationException();
    }

    @Override
    public <R> Optional<R> sharedResource(Class<R> type) {
        return Optional.empty();
    }
}
