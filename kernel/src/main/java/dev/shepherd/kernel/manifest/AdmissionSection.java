package dev.shepherd.kernel.manifest;

import java.util.Map;

/**
 * The {@code admission} section: how much load the gateway takes on, as SMG's flags.
 *
 * @param maxConcurrentRequests requests in flight at once; -1 for no limit (-1)
 * @param queueSize requests that may wait for a slot; beyond it they get 503 at once (100)
 * @param queueTimeoutSecs longest wait in the queue before a 503 (60)
 * @param rateLimitTokensPerSecond gateway-wide token bucket refill, one token per request; null for none
 * @param rateLimitBurst bucket capacity (the rate, rounded up, when not set)
 * @param trustTenantHeader take the tenant from {@code tenant_header_name} (false)
 * @param tenantHeaderName the tenant header ({@code x-smg-tenant-id})
 * @param tenants per-tenant limits by tenant id
 * @param priorityScheduler classes from {@code X-SMG-Priority} (system, interactive, default, bulk) with
 *                          per-class queues, reserved capacity, starvation promotion and preemption
 */
public record AdmissionSection(Integer maxConcurrentRequests, Integer queueSize, Integer queueTimeoutSecs,
                               Double rateLimitTokensPerSecond, Double rateLimitBurst, Boolean trustTenantHeader,
                               String tenantHeaderName, Map<String, TenantLimits> tenants,
                               PriorityScheduler priorityScheduler) {

    public AdmissionSection {
        maxConcurrentRequests = maxConcurrentRequests == null ? -1 : maxConcurrentRequests;
        queueSize = queueSize == null ? 100 : queueSize;
        queueTimeoutSecs = queueTimeoutSecs == null ? 60 : queueTimeoutSecs;
        trustTenantHeader = trustTenantHeader != null && trustTenantHeader;
        tenantHeaderName = tenantHeaderName == null ? "x-smg-tenant-id" : tenantHeaderName.toLowerCase(java.util.Locale.ROOT);
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        priorityScheduler = priorityScheduler == null ? new PriorityScheduler(null, null, null, null) : priorityScheduler;
        if (maxConcurrentRequests == 0 || maxConcurrentRequests < -1) {
            throw new IllegalArgumentException("max_concurrent_requests must be positive, or -1 for no limit");
        }
        if (queueSize < 0 || queueTimeoutSecs < 1) {
            throw new IllegalArgumentException("queue_size must not be negative and queue_timeout_secs must be positive");
        }
        if (rateLimitTokensPerSecond != null && rateLimitTokensPerSecond <= 0) {
            throw new IllegalArgumentException("rate_limit_tokens_per_second must be positive");
        }
        if (rateLimitBurst != null && rateLimitBurst < 1) {
            throw new IllegalArgumentException("rate_limit_burst must be at least 1");
        }
    }

    /**
     * One tenant's limits.
     *
     * @param rateLimitTokensPerSecond the tenant's token bucket refill (requests per second); null for none
     * @param burst bucket capacity (the rate, rounded up, when not set)
     * @param maxConcurrentRequests the tenant's requests in flight at once; null for no own limit
     */
    public record TenantLimits(Double rateLimitTokensPerSecond, Double burst, Integer maxConcurrentRequests) {
        public TenantLimits {
            if (rateLimitTokensPerSecond != null && rateLimitTokensPerSecond <= 0) {
                throw new IllegalArgumentException("rate_limit_tokens_per_second must be positive");
            }
            if (maxConcurrentRequests != null && maxConcurrentRequests < 1) {
                throw new IllegalArgumentException("max_concurrent_requests must be positive");
            }
        }
    }

    /**
     * SMG's priority scheduler.
     *
     * @param enabled read {@code X-SMG-Priority} (false: every request is {@code default})
     * @param reserved fraction of {@code max_concurrent_requests} only a class and those above it may use
     *                 (system 0.1, interactive 0.2)
     * @param promotionAfterMs a request queued longer than this is served as if it were {@code system} (10000)
     * @param preemption a higher class may take the slot of a lower-class request that has not yet had
     *                   its first byte; the loser gets 503 with {@code X-SMG-Preempted} (true)
     */
    public record PriorityScheduler(Boolean enabled, Map<String, Double> reserved, Long promotionAfterMs, Boolean preemption) {
        public PriorityScheduler {
            enabled = enabled != null && enabled;
            reserved = reserved == null ? Map.of("system", 0.1, "interactive", 0.2) : Map.copyOf(reserved);
            promotionAfterMs = promotionAfterMs == null ? 10_000L : promotionAfterMs;
            preemption = preemption == null || preemption;
            for (var e : reserved.entrySet()) {
                if (PriorityClass.parse(e.getKey()) == null || e.getValue() < 0 || e.getValue() >= 1) {
                    throw new IllegalArgumentException("reserved maps system|interactive|default|bulk to a fraction in [0, 1)");
                }
            }
        }
    }

    /** Admission classes, highest first. */
    public enum PriorityClass {
        SYSTEM, INTERACTIVE, DEFAULT, BULK;

        /** The class named (any case), or null. */
        public static PriorityClass parse(String name) {
            if (name == null) {
                return null;
            }
            for (PriorityClass c : values()) {
                if (c.name().equalsIgnoreCase(name.trim())) {
                    return c;
                }
            }
            return null;
        }
    }
}
