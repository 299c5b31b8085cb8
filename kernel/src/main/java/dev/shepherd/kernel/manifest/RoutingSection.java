package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The {@code routing} section.
 *
 * @param policy the policy for every model without its own ({@code round_robin} until
 *               {@code cache_aware} ships)
 * @param policies configuration per policy name, bound to that policy's config record
 * @param models per-model overrides: model id to its own policy
 * @param routingKeyOverride SMG's {@code --routing-key-override}: a request with {@code X-SMG-Routing-Key}
 *                           sticks to one worker under any policy (through a {@code manual} policy per
 *                           model), except where the policy is already key-aware (manual, consistent_hashing)
 */
public record RoutingSection(String policy, Map<String, JsonNode> policies, Map<String, ModelRouting> models,
                             Boolean routingKeyOverride) {

    /** The policy that serves sticky routing keys under {@code routing_key_override}. */
    public static final String STICKY_POLICY = "manual";

    public static final String DEFAULT_POLICY = "round_robin";

    public RoutingSection {
        policy = policy == null ? DEFAULT_POLICY : policy;
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        models = models == null ? Map.of() : Map.copyOf(models);
        routingKeyOverride = routingKeyOverride != null && routingKeyOverride;
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
