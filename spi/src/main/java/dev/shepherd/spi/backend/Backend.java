package dev.shepherd.spi.backend;

import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Talks to workers. Every method returns at once and completes later: a backend never blocks the
 * caller's thread. Thread-safe. Closing it releases its connections.
 */
public interface Backend extends AutoCloseable {

    /**
     * Sends {@code request} to {@code worker} and delivers the answer to {@code sink}: exactly one
     * {@link ResponseSink#onHead} followed by data and {@link ResponseSink#onComplete}, or a single
     * {@link ResponseSink#onFailure} at any point. Sink calls arrive on
     * {@link UpstreamRequest#ioExecutor()} one at a time, and never before this method has returned
     * (the caller keeps the returned handle to pause, resume or cancel from inside sink calls).
     */
    BackendCall call(Worker worker, UpstreamRequest request, ResponseSink sink);

    /** The model ids a worker serves, asked of the worker itself (e.g. {@code /v1/models}). */
    CompletionStage<List<String>> discoverModels(WorkerSpec spec, Duration timeout);

    /** Probes a worker's health at {@code path} (e.g. {@code /health}); healthy means a 2xx answer in time. */
    CompletionStage<ProbeResult> probe(Worker worker, String path, Duration timeout);

    /**
     * Asks the worker for its own load report (KV-cache usage, running and waiting requests). Polled
     * by the kernel every {@code routing.load_monitor_interval_secs} while a policy in use
     * {@linkplain dev.shepherd.spi.policy.Policy#readsLoadReports() reads it}. Empty when the worker
     * reports none; never completes exceptionally for a worker that fails to answer.
     */
    default CompletionStage<Optional<LoadReport>> reportLoad(Worker worker, Duration timeout) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /**
     * How many data-parallel ranks the worker's engine runs (SGLang's {@code dp_size}), asked when the
     * gateway is DP-aware so the engine can be registered as one logical worker per rank. 1 for an
     * engine that does not tell (the default here); may complete exceptionally when the worker cannot
     * be asked, which the kernel also takes as 1.
     */
    default CompletionStage<Integer> dataParallelSize(WorkerSpec spec, Duration timeout) {
        return CompletableFuture.completedFuture(1);
    }

    @Override
    default void close() {
    }
}
