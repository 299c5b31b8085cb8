package dev.shepherd.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How a plugin reaches the kernel. One context is handed to each {@link ExtensionFactory#create};
 * everything on it is thread-safe and owned by the kernel (plugins never shut these down).
 */
public interface PluginContext {

    /** The kernel's shared mapper (snake_case aware, lenient on unknown response fields). */
    ObjectMapper objectMapper();

    /** Where the plugin registers its own metrics; names start with {@code smg_}. */
    MeterRegistry meterRegistry();

    /** The tracer for spans the plugin opens; a no-op tracer when tracing is off. */
    Tracer tracer();

    /**
     * An executor of virtual threads for work that may block (database writes, tool calls, guest
     * code). Never block an I/O thread: hop here and complete a {@code CompletionStage} instead.
     */
    ExecutorService blockingExecutor();

    /** A small scheduler for periodic work; tasks must be short or hop to {@link #blockingExecutor()}. */
    ScheduledExecutorService scheduler();

    Clock clock();

    /** A read-only, always current view of the registered workers. */
    WorkerRegistryView workers();

    /** Registers and removes workers; meant for discovery plugins. */
    WorkerRegistryWriter workerWriter();

    /** Key-value state replicated across gateway nodes when a mesh runs, local otherwise. */
    StateStore stateStore();

    /** A directory this plugin may keep files in; created on first use. */
    Path dataDirectory();

    /**
     * A resource of a shared library that the kernel lends to plugins which can use it, such as the
     * server's I/O worker for a backend that wants to share its threads. Empty when not offered.
     */
    <R> Optional<R> sharedResource(Class<R> type);
}
