package dev.shepherd.spi.worker;

/**
 * The live load of a worker as the gateway sees it. Reads are lock-free and may be slightly stale
 * under concurrency, which is what routing decisions want: cheap and nearly right.
 */
public interface WorkerLoad {

    /** Requests the gateway has sent to the worker that have not finished. */
    int inFlight();

    /** Prompt tokens of in-flight requests not yet past their first token, when known; else 0. */
    long queuedPromptTokens();

    /** The worker's own KV-cache usage in [0, 1] from its last load report, or -1 when unknown. */
    double kvCacheUsage();
}
