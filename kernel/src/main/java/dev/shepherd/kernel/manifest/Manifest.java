package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.spi.worker.WorkerSpec;
import java.util.List;
import java.util.Map;

/**
 * The effective manifest: the YAML file with command-line flags applied, bound section by section.
 * Plugin sections stay trees until the plugin host binds them to each factory's config record.
 *
 * @param tree the merged tree, with source lines, for later binding and {@code smg config print}
 * @param apis API plugin name to its configuration; absent means every API found, unconfigured
 * @param backends backend plugin name to its configuration; absent means every backend found
 * @param discovery discovery plugin name to its configuration; only those named run
 * @param middleware the ordered middleware chain: each entry names its plugin with {@code name}
 * @param mesh whether and how this node joins a gateway cluster
 */
public record Manifest(SourcedTree tree, ServerSection server, PluginsSection plugins, List<WorkerSpec> workers,
                       RoutingSection routing, HealthSection health, ResilienceSection resilience,
                       AdmissionSection admission, LoggingSection logging, ObservabilitySection observability,
                       Map<String, JsonNode> apis, Map<String, JsonNode> backends,
                       Map<String, JsonNode> discovery, List<JsonNode> middleware, MeshSection mesh) {

    /** The top-level sections a manifest may have. */
    public static final List<String> SECTIONS = List.of("server", "plugins", "workers", "routing", "health",
            "resilience", "admission", "logging", "observability", "apis", "backends", "discovery", "middleware",
            "mesh");
}
