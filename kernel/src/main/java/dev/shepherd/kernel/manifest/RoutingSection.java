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
 */
public record RoutingSection(String policy, Map<String, JsonNode> policies, Map<String, ModelRouting> models) {

    public static final String DEFAULT_POLICY = "round_robin";

    public RoutingSection {
        policy = policy == null ? DEFAULT_POLICY : policy;
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        models = models == null ? Map.of() : Map.copyOf(models);
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
