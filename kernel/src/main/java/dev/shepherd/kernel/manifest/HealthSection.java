package dev.shepherd.kernel.manifest;

/**
 * The {@code health} section: active worker health checks, with SMG's flags and defaults.
 *
 * @param checkIntervalSecs seconds between probes of one worker (60)
 * @param checkTimeoutSecs probe timeout (5)
 * @param failureThreshold consecutive failed probes before a ready worker stops receiving traffic (3)
 * @param successThreshold consecutive good probes before a not-ready worker is ready again (2)
 * @param endpoint the path probed ({@code /health})
 * @param disabled no active checks: workers are ready once registered
 * @param drainTimeoutSecs how long a removed worker keeps serving its in-flight requests (60)
 */
public record HealthSection(Integer checkIntervalSecs, Integer checkTimeoutSecs, Integer failureThreshold,
                            Integer successThreshold, String endpoint, Boolean disabled, Integer drainTimeoutSecs) {

    public HealthSection {
        checkIntervalSecs = checkIntervalSecs == null ? 60 : checkIntervalSecs;
        checkTimeoutSecs = checkTimeoutSecs == null ? 5 : checkTimeoutSecs;
        failureThreshold = failureThreshold == null ? 3 : failureThreshold;
        successThreshold = successThreshold == null ? 2 : successThreshold;
        endpoint = endpoint == null ? "/health" : endpoint;
        disabled = disabled != null && disabled;
        drainTimeoutSecs = drainTimeoutSecs == null ? 60 : drainTimeoutSecs;
        if (drainTimeoutSecs < 0) {
            throw new IllegalArgumentException("drain_timeout_secs must not be negative");
        }
        if (checkIntervalSecs <= 0 || checkTimeoutSecs <= 0) {
            throw new IllegalArgumentException("check_interval_secs and check_timeout_secs must be positive");
        }
        if (failureThreshold < 1 || successThreshold < 1) {
            throw new IllegalArgumentException("failure_threshold and success_threshold must be at least 1");
        }
        if (!endpoint.startsWith("/")) {
            throw new IllegalArgumentException("endpoint must start with '/': " + endpoint);
        }
    }

    /** The section without a drain timeout (the default applies). */
    public HealthSection(Integer checkIntervalSecs, Integer checkTimeoutSecs, Integer failureThreshold,
                         Integer successThreshold, String endpoint, Boolean disabled) {
        this(checkIntervalSecs, checkTimeoutSecs, failureThreshold, successThreshold, endpoint, disabled, null);
    }
}
