package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The {@code routing} section.
 *
 * @param policy the policy for every model without its own ({@code cache_aware}, as SMG; the
 *               policy-cache-aware plugin must be loaded for it)
 * @param policies configuration per policy name, bound to that policy's config record
 * @param models per-model overrides: model id to its own policy
 * @param routingKeyOverride SMG's {@code --routing-key-override}: a request with {@code X-SMG-Routing-Key}
 *                           sticks to one worker under any policy (through a {@code manual} policy per
 *                           model), except where the policy is already key-aware (manual, consistent_hashing)
 * @param loadMonitorIntervalSecs seconds between polls of each worker's own load report (KV-cache
 *                                usage), made only while a policy in use reads it (SMG's
 *                                {@code --load-monitor-interval}, 10); 0 turns polling off
 * @param dpAware SMG's {@code --dp-aware}: each engine registers as one logical worker per
 *                data-parallel rank ({@code url@rank}, dp_size from the worker spec or the engine's
 *                {@code /get_server_info}), and requests carry the chosen rank to the engine
 */
public record RoutingSection(String policy, Map<String, JsonNode> policies, Map<String, ModelRouting> models,
                             Boolean routingKeyOverride, Integer loadMonitorIntervalSecs, Boolean dpAware) {

    /** The policy that serves sticky routing keys under {@code routing_key_override}. */
    public static final String STICKY_POLICY = "manual";

    public static final String DEFAULT_POLICY = "cache_aware";

    public RoutingSection {
        policy = policy == null ? DEFAULT_POLICY : policy;
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        models = models == null ? Map.of() : Map.copyOf(models);
        routingKeyOverride = routingKeyOverride != null && routingKeyOverride;
        loadMonitorIntervalSecs = loadMonitorIntervalSecs == null ? 10 : loadMonitorIntervalSecs;
        dpAware = dpAware != null && dpAware;
        if (loadMonitorIntervalSecs < 0) {
            throw new IllegalArgumentException("load_monitor_interval_secs must not be negative, got " + loadMonitorIntervalSecs);
        }
    }

    /**
     * A model's own routing.
     *
     * @param policy the policy name
     */
    public record ModelRouting(String policy) {
        public ModelRouting {
            if (policy == null || policy.isBlank()) {
                throw new IllegalArgumentException("policy is required");
            }
        }
    }
}
