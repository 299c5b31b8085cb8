package dev.shepherd.kernel.manifest;

/**
 * The {@code resilience} section (retries; circuit breakers and timeouts grow here).
 *
 * @param maxRetries total attempts per request, the first included (SMG's 5)
 * @param disableRetries one attempt only
 */
public record ResilienceSection(Integer maxRetries, Boolean disableRetries) {

    public ResilienceSection {
        maxRetries = maxRetries == null ? 5 : maxRetries;
        disableRetries = disableRetries != null && disableRetries;
        if (maxRetries < 1) {
            throw new IllegalArgumentException("max_retries counts attempts and must be at least 1");
        }
    }

    /** Attempts a request may make in all. */
    public int attempts() {
        return disableRetries ? 1 : maxRetries;
    }
}
