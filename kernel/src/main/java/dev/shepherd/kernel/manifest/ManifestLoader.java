package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.spi.worker.WorkerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the manifest: reads the YAML, applies command-line overrides, binds every kernel section,
 * and reports every fault at once with file, line and YAML path.
 */
public final class ManifestLoader {

    private ManifestLoader() {
    }

    /**
     * @param file the manifest, or null for the built-in defaults only
     * @param overrides JSON pointer (e.g. {@code /server/port}) to the value a flag set
     */
    public static Manifest load(Path file, Map<String, JsonNode> overrides) {
        SourcedTree tree;
        if (file == null) {
            tree = YamlTreeReader.read("<defaults>", "");
        } else {
            try {
                tree = YamlTreeReader.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ManifestException(List.of(file + ": cannot read: " + e.getMessage()));
            }
        }
        overrides.forEach((pointer, value) -> set(tree, pointer, value));
        return bind(tree);
    }

    /** Binds an already read tree; used by tests and by {@link #load}. */
    public static Manifest bind(SourcedTree tree) {
        List<String> faults = new ArrayList<>();
        ConfigBinder binder = new ConfigBinder(tree, faults);
        for (Iterator<String> names = tree.root().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Manifest.SECTIONS.contains(name)) {
                binder.fault("/" + name, "unknown section '" + name + "' (known: " + String.join(", ", Manifest.SECTIONS) + ")");
            }
        }
        ServerSection server = binder.bind("/server", ServerSection.class);
        PluginsSection plugins = binder.bind("/plugins", PluginsSection.class);
        RoutingSection routing = binder.bind("/routing", RoutingSection.class);
        HealthSection health = binder.bind("/health", HealthSection.class);
        ResilienceSection resilience = binder.bind("/resilience", ResilienceSection.class);
        AdmissionSection admission = binder.bind("/admission", AdmissionSection.class);
        LoggingSection logging = binder.bind("/logging", LoggingSection.class);
        ObservabilitySection observability = binder.bind("/observability", ObservabilitySection.class);
        List<WorkerSpec> workers = bindWorkers(tree, binder);
        Map<String, JsonNode> apis = namedSections(tree, "apis", binder);
        Map<String, JsonNode> backends = namedSections(tree, "backends", binder);
        Map<String, JsonNode> discovery = namedSections(tree, "discovery", binder);
        List<JsonNode> middleware = middleware(tree, binder);
        MeshSection mesh = binder.bind("/mesh", MeshSection.class);
        if (!faults.isEmpty()) {
            throw new ManifestException(faults);
        }
        return new Manifest(tree, server, plugins, workers, routing, health, resilience, admission, logging,
                observability, apis, backends, discovery, middleware, mesh);
    }

    private static List<WorkerSpec> bindWorkers(SourcedTree tree, ConfigBinder binder) {
        JsonNode node = tree.root().path("workers");
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            binder.fault("/workers", "expected a list of workers");
            return List.of();
        }
        List<WorkerSpec> specs = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            WorkerSpec spec = node.get(i).isTextual()
                    ? workerFromUrl(binder, "/workers/" + i, node.get(i).asText())
                    : binder.bind("/workers/" + i, WorkerSpec.class);
            if (spec != null) {
                specs.add(spec);
            }
        }
        return List.copyOf(specs);
    }

    private static WorkerSpec workerFromUrl(ConfigBinder binder, String pointer, String url) {
        try {
            return WorkerSpec.of(url);
        } catch (IllegalArgumentException e) {
            binder.fault(pointer, e.getMessage());
            return null;
        }
    }

    /** A section that maps plugin names to their (still unbound) configuration. */
    private static Map<String, JsonNode> namedSections(SourcedTree tree, String section, ConfigBinder binder) {
        JsonNode node = tree.root().path(section);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            binder.fault("/" + section, "expected a mapping of plugin name to its configuration");
            return Map.of();
        }
        Map<String, JsonNode> result = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    private static List<JsonNode> middleware(SourcedTree tree, ConfigBinder binder) {
        JsonNode node = tree.root().path("middleware");
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            binder.fault("/middleware", "expected an ordered list of middleware entries");
            return List.of();
        }
        List<JsonNode> entries = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).path("name").isTextual()) {
                binder.fault("/middleware/" + i, "each middleware entry needs a 'name' naming its plugin");
            }
            entries.add(node.get(i));
        }
        return entries;
    }

    /** Sets {@code value} at {@code pointer}, creating intermediate mappings, and marks it as from the command line. */
    static void set(SourcedTree tree, String pointer, JsonNode value) {
        String[] parts = pointer.substring(1).split("/");
        ObjectNode parent = tree.root();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            path.append('/').append(parts[i]);
            JsonNode child = parent.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                parent.putObject(parts[i]);
                tree.lines().put(path.toString(), SourcedTree.COMMAND_LINE);
            }
            parent = (ObjectNode) parent.get(parts[i]);
        }
        parent.set(parts[parts.length - 1], value);
        tree.lines().put(pointer, SourcedTree.COMMAND_LINE);
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                tree.lines().put(pointer + "/" + i, SourcedTree.COMMAND_LINE);
            }
        }
    }
}
