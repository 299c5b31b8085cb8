package dev.shepherd.sim;

/**
 * The engine's load as {@code GET /get_load} reports it.
 *
 * @param runningRequests requests in the running batch
 * @param waitingRequests requests queued for a batch slot or KV budget
 * @param usedTokens KV tokens reserved by running requests (prompt plus max output tokens)
 * @param kvCacheUsage {@code usedTokens / kvTokens}, within [0, 1]
 */
public record EngineLoad(int runningRequests, int waitingRequests, long usedTokens, double kvCacheUsage) {
}
