package dev.shepherd.plugin.backend.openaihttp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The little of the kernel this plugin uses: a plain mapper and, optionally, lent shared resources.
 * Everything else is refused, so a test fails loudly if the backend starts depending on more.
 */
final class TestPluginContext implements PluginContext {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Class<?>, Object> sharedResources;

    private TestPluginContext(Map<Class<?>, Object> sharedResources) {
        this.sharedResources = sharedResources;
    }

    /** Lends nothing: the backend creates and owns its XNIO worker and buffer pool. */
    static TestPluginContext lendingNothing() {
        return new TestPluginContext(Map.of());
    }

    /** Lends resources the way the kernel lends its server's worker and buffer pool. */
    static TestPluginContext lending(Map<Class<?>, Object> resources) {
        return new TestPluginContext(Map.copyOf(resources));
    }

    @Override
    public ObjectMapper objectMapper() {
        return mapper;
    }

    @Override
    public <R> Optional<R> sharedResource(Class<R> type) {
        return Optional.ofNullable(type.cast(sharedResources.get(type)));
    }

    @Override
    public MeterRegistry meterRegistry() {
        throw new UnsupportedOperationException("not offered in tests");
    }

    @Override
    public Tracer tracer() {
        throw new UnsupportedOperationException("not offered in tests");
    }

    @Override
    public ExecutorService blockingExecutor() {
        throw new UnsupportedOperationException("not offered in tests");
    }

    @Override
    public ScheduledExecutorService scheduler() {
        throw new UnsupportedOperationException("not offered in tests");
    }

    @Override
    public Clock clock() {
        throw new UnsupportedOperationException("not offered in tests");
    }

    @Override
    public WorkerRegistryView workers() {
        throw new UnsupportedOperationException("not offered in tests");
    }

    @Override
    public WorkerRegistryWriter workerWriter() {
        throw new UnsupportedOperationException("not offered in tests");
    }

    @Override
    public StateStore stateStore() {
        throw new UnsupportedOperationException("not offered in tests");
    }

    @Override
    public Path dataDirectory() {
        throw new UnsupportedOperationException("not offered in tests");
    }
}
