package dev.shepherd.kernel.manifest;

import java.util.List;
import java.util.Set;

/**
 * The {@code resilience} section: retries, circuit breakers, timeouts and stream resumption.
 * Names and defaults are SMG's where SMG has the knob.
 *
 * @param maxRetries total attempts per request, the first included (5)
 * @param initialBackoffMs delay before the first retry (50)
 * @param maxBackoffMs cap on the delay (30000)
 * @param backoffMultiplier growth of the delay per attempt (1.5)
 * @param jitterFactor random spread of each delay, as a fraction (0.2)
 * @param disableRetries one attempt only (false)
 * @param retryableStatusCodes worker statuses retried on another worker and counted as breaker failures
 *                             (408, 429, 500, 502, 503, 504)
 * @param cbFailureThreshold consecutive failures that open a worker's circuit (10)
 * @param cbSuccessThreshold successes in half-open state that close it (3)
 * @param cbTimeoutDurationSecs how long a circuit stays open before a trial request (60)
 * @param cbWindowDurationSecs failures older than this no longer count toward opening (120)
 * @param disableCircuitBreaker no circuit breakers (false)
 * @param connectTimeoutSecs see the backend's {@code connect_timeout_secs}; kept for SMG parity (10)
 * @param firstByteTimeoutSecs longest wait for a worker's response head (300)
 * @param streamIdleTimeoutSecs longest silence inside a streamed answer (120)
 * @param resumeStreams continue a stream on another worker when its worker dies mid-way (true)
 */
public record ResilienceSection(Integer maxRetries, Long initialBackoffMs, Long maxBackoffMs, Double backoffMultiplier,
                                Double jitterFactor, Boolean disableRetries, List<Integer> retryableStatusCodes,
                                Integer cbFailureThreshold, Integer cbSuccessThreshold, Integer cbTimeoutDurationSecs,
                                Integer cbWindowDurationSecs, Boolean disableCircuitBreaker, Integer connectTimeoutSecs,
                                Integer firstByteTimeoutSecs, Integer streamIdleTimeoutSecs, Boolean resumeStreams) {

    public static final List<Integer> DEFAULT_RETRYABLE = List.of(408, 429, 500, 502, 503, 504);

    public ResilienceSection {
        maxRetries = maxRetries == null ? 5 : maxRetries;
        initialBackoffMs = initialBackoffMs == null ? 50L : initialBackoffMs;
        maxBackoffMs = maxBackoffMs == null ? 30_000L : maxBackoffMs;
        backoffMultiplier = backoffMultiplier == null ? 1.5 : backoffMultiplier;
        jitterFactor = jitterFactor == null ? 0.2 : jitterFactor;
        disableRetries = disableRetries != null && disableRetries;
        retryableStatusCodes = retryableStatusCodes == null ? DEFAULT_RETRYABLE : List.copyOf(retryableStatusCodes);
        cbFailureThreshold = cbFailureThreshold == null ? 10 : cbFailureThreshold;
        cbSuccessThreshold = cbSuccessThreshold == null ? 3 : cbSuccessThreshold;
        cbTimeoutDurationSecs = cbTimeoutDurationSecs == null ? 60 : cbTimeoutDurationSecs;
        cbWindowDurationSecs = cbWindowDurationSecs == null ? 120 : cbWindowDurationSecs;
        disableCircuitBreaker = disableCircuitBreaker != null && disableCircuitBreaker;
        connectTimeoutSecs = connectTimeoutSecs == null ? 10 : connectTimeoutSecs;
        firstByteTimeoutSecs = firstByteTimeoutSecs == null ? 300 : firstByteTimeoutSecs;
        streamIdleTimeoutSecs = streamIdleTimeoutSecs == null ? 120 : streamIdleTimeoutSecs;
        resumeStreams = resumeStreams == null || resumeStreams;
        if (maxRetries < 1) {
            throw new IllegalArgumentException("max_retries counts attempts and must be at least 1");
        }
        if (initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException("need 0 <= initial_backoff_ms <= max_backoff_ms");
        }
        if (backoffMultiplier < 1.0) {
            throw new IllegalArgumentException("backoff_multiplier must be at least 1.0");
        }
        if (jitterFactor < 0 || jitterFactor > 1) {
            throw new IllegalArgumentException("jitter_factor must be within [0, 1]");
        }
        for (int code : retryableStatusCodes) {
            if (code < 400 || code > 599) {
                throw new IllegalArgumentException("retryable_status_codes must be 4xx or 5xx, got " + code);
            }
        }
        if (cbFailureThreshold < 1 || cbSuccessThreshold < 1 || cbTimeoutDurationSecs < 1 || cbWindowDurationSecs < 1) {
            throw new IllegalArgumentException("circuit breaker thresholds and durations must be at least 1");
        }
        if (connectTimeoutSecs < 1 || firstByteTimeoutSecs < 1 || streamIdleTimeoutSecs < 1) {
            throw new IllegalArgumentException("timeouts must be at least 1 second");
        }
    }

    /** Attempts a request may make in all. */
    public int attempts() {
        return disableRetries ? 1 : maxRetries;
    }

    public Set<Integer> retryableStatuses() {
        return Set.copyOf(retryableStatusCodes);
    }
}
