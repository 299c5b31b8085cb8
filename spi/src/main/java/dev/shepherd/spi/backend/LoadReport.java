package dev.shepherd.spi.backend;

/**
 * A worker's own account of its load, as its engine reports it (vLLM's and SGLang's metrics).
 * A figure the engine does not report is -1.
 *
 * @param kvCacheUsage share of the KV cache in use, 0 to 1
 * @param runningRequests requests the engine is running now
 * @param waitingRequests requests waiting in the engine's queue
 */
public record LoadReport(double kvCacheUsage, int runningRequests, int waitingRequests) {

    public LoadReport {
        if (!(kvCacheUsage >= 0)) {
            kvCacheUsage = -1;
        } else if (kvCacheUsage > 1) {
            kvCacheUsage = 1;
        }
    }
}
