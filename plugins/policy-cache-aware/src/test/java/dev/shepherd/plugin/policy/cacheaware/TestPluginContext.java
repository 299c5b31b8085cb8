package dev.shepherd.plugin.policy.cacheaware;

import dev.shepherd.testkit.fakes.FakeWorker;
import dev.shepherd.testkit.fakes.FakeWorkerLoad;
import dev.shepherd.testkit.fakes.MutableClock;

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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The least the policy needs from the kernel: a real single-thread scheduler whose queue shows what was
 * scheduled (the eviction interval is far longer than any test, so tasks never fire on their own), a
 * blocking executor that runs tasks on the calling thread (so eviction and purges finish before the
 * call returns, with no waiting), a manual clock and a simple meter registry.
 */
final class TestPluginContext implements PluginContext, AutoCloseable {

    private final MutableClock clock = new MutableClock();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
    private final ExecutorService direct = new DirectExecutor();

    TestPluginContext() {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Periodic tasks currently scheduled. */
    int scheduledTasks() {
        return scheduler.getQueue().size();
    }

    SimpleMeterRegistry simpleMeterRegistry() {
        return meterRegistry;
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
        return TracerProvider.noop().get("policy-cache-aware-test");
    }

    @Override
    public ExecutorService blockingExecutor() {
        return direct;
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
        throw new UnsupportedOperationException("cache_aware keeps no shared state");
    }

    @Override
    public Path dataDirectory() {
        throw new UnsupportedOperationException("cache_aware keeps no files");
    }

    @Override
    public <R> Optional<R> sharedResource(Class<R> type) {
        return Optional.empty();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        meterRegistry.close();
    }

    /** Runs each task on the calling thread. */
    private static final class DirectExecutor extends AbstractExecutorService {

        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
