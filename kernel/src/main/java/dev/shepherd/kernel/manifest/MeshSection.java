package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code mesh} section: whether this gateway joins a cluster, and through which mesh plugin.
 * The plugin's own settings stay a tree here; the assembly binds them to its config record.
 *
 * @param enabled join a mesh (SMG {@code --enable-mesh}); off by default
 * @param plugin the mesh factory's name ({@code gossip}, from the {@code mesh-gossip} plugin)
 * @param config the plugin's settings (for {@code gossip}: host, advertise_host, port, seeds, timings)
 * @param clusterRateLimitPerSecond requests per second admitted by all nodes together (counted through
 *     the replicated store, so approximate by the gossip delay); null for none
 * @param clusterTenantRateLimitPerSecond requests per second each tenant may send to all nodes
 *     together, counted the same way; null for none
 */
public record MeshSection(Boolean enabled, String plugin, JsonNode config, Double clusterRateLimitPerSecond,
                          Double clusterTenantRateLimitPerSecond) {

    public static final String DEFAULT_PLUGIN = "gossip";

    public MeshSection {
        enabled = enabled != null && enabled;
        plugin = plugin == null || plugin.isBlank() ? DEFAULT_PLUGIN : plugin;
        if (clusterRateLimitPerSecond != null && clusterRateLimitPerSecond <= 0) {
            throw new IllegalArgumentException("cluster_rate_limit_per_second must be positive");
        }
        if (clusterTenantRateLimitPerSecond != null && clusterTenantRateLimitPerSecond <= 0) {
            throw new IllegalArgumentException("cluster_tenant_rate_limit_per_second must be positive");
        }
        if (config != null && !config.isObject() && !config.isNull()) {
            throw new IllegalArgumentException("config must be a mapping of the mesh plugin's settings");
        }
    }
}
