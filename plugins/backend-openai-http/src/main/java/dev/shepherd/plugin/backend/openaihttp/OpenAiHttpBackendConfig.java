package dev.shepherd.plugin.backend.openaihttp;

import java.time.Duration;

/**
 * The manifest section {@code backends: openai_http: {...}}. Every key is optional; a missing key
 * arrives as {@code null} and takes its default here.
 *
 * @param maxIdleConnectionsPerWorker keep-alive connections kept open per worker while idle, over all
 *                                    I/O threads (64); 0 closes every connection after its call
 * @param idleTimeoutSecs how long an idle connection may wait for reuse (50 s); below the usual
 *                        60 s server keep-alive so the gateway, not the worker, closes it first
 * @param connectTimeoutSecs how long opening a connection may take before the call fails with
 *                           CONNECT (10 s)
 * @param ioThreads I/O threads of the backend's own XNIO worker (2); used only when the kernel lends
 *                  no worker, as in unit tests
 */
public record OpenAiHttpBackendConfig(Integer maxIdleConnectionsPerWorker, Integer idleTimeoutSecs,
                                      Integer connectTimeoutSecs, Integer ioThreads) {

    public static final int DEFAULT_MAX_IDLE_CONNECTIONS_PER_WORKER = 64;
    public static final int DEFAULT_IDLE_TIMEOUT_SECS = 50;
    public static final int DEFAULT_CONNECT_TIMEOUT_SECS = 10;
    public static final int DEFAULT_IO_THREADS = 2;

    public OpenAiHttpBackendConfig {
        maxIdleConnectionsPerWorker = withDefault(maxIdleConnectionsPerWorker,
                DEFAULT_MAX_IDLE_CONNECTIONS_PER_WORKER);
        idleTimeoutSecs = withDefault(idleTimeoutSecs, DEFAULT_IDLE_TIMEOUT_SECS);
        connectTimeoutSecs = withDefault(connectTimeoutSecs, DEFAULT_CONNECT_TIMEOUT_SECS);
        ioThreads = withDefault(ioThreads, DEFAULT_IO_THREADS);
        requireRange("max_idle_connections_per_worker", maxIdleConnectionsPerWorker, 0, 100_000);
        requireRange("idle_timeout_secs", idleTimeoutSecs, 1, 86_400);
        requireRange("connect_timeout_secs", connectTimeoutSecs, 1, 3_600);
        requireRange("io_threads", ioThreads, 1, 1_024);
    }

    /** Every key at its default, as bound from a missing manifest section. */
    public static OpenAiHttpBackendConfig defaults() {
        return new OpenAiHttpBackendConfig(null, null, null, null);
    }

    public Duration idleTimeout() {
        return Duration.ofSeconds(idleTimeoutSecs);
    }

    public Duration connectTimeout() {
        return Duration.ofSeconds(connectTimeoutSecs);
    }

    private static int withDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    key + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
