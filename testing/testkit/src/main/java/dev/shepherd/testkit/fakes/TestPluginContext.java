package dev.shepherd.testkit.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The least a policy needs from the kernel: a clock the test moves, a real single-thread scheduler
 * (whose queue shows what a policy scheduled), a blocking executor (virtual threads, or the calling
 * thread with {@link #runningBlockingWorkInline()}) and a simple meter registry. What policies must
 * not use (registry, state store, files) throws.
 */
public final class TestPluginContext implements PluginContext, AutoCloseable {

    private final MutableClock clock = new MutableClock();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final ExecutorService blocking;
    private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

    /** Blocking work runs on virtual threads, as in the kernel. */
    public TestPluginContext() {
        this(Executors.newVirtualThreadPerTaskExecutor());
    }

    private TestPluginContext(ExecutorService blocking) {
        this.blocking = blocking;
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Blocking work runs on the calling thread, so it has finished when the plugin's call returns. */
    public static TestPluginContext runningBlockingWorkInline() {
        return new TestPluginContext(new DirectExecutor());
    }

    public SimpleMeterRegistry simpleMeterRegistry() {
        return meterRegistry;
    }

    public MutableClock mutableClock() {
        return clock;
    }

    /** Periodic tasks currently scheduled. */
    public int scheduledTasks() {
        return scheduler.getQueue().size();
    }

    @Override
    public ObjectMapper objectMapper() {
        return ConfigBinding.MAPPER;
    }

    @Override
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    @Override
    public Tracer tracer() {
        return TracerProvider.noop().get("plugin-test");
    }

    @Override
    public ExecutorService blockingExecutor() {
        return blocking;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public WorkerRegistryView workers() {
        throw new UnsupportedOperationException("policies are handed their candidates");
    }

    @Override
    public WorkerRegistryWriter workerWriter() {
        throw new UnsupportedOperationException("policies do not register workers");
    }

    @Override
    public StateStore stateStore() {
        throw new UnsupportedOperationException("policies keep no shared state");
    }

    @Override
    public Path dataDirectory() {
        throw new UnsupportedOperationException("policies keep no files");
    }

    @Override
    public <R> Optional<R> sharedResource(Class<R> type) {
        return Optional.empty();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        blocking.shutdownNow();
        meterRegistry.close();
    }
}
