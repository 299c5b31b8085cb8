package dev.shepherd.kernel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.kernel.manifest.Manifest;
import dev.shepherd.kernel.manifest.Mappers;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * The manifest as the gateway will run it: the file, then every flag, then the defaults of each
 * kernel section, printed as YAML with secret values masked.
 */
final class EffectiveManifest {

    private static final Set<String> SECRET_WORDS = Set.of("key", "keys", "secret", "password", "token");

    private EffectiveManifest() {
    }

    static String render(Manifest manifest) {
        ObjectNode root = manifest.tree().root().deepCopy();
        root.set("server", Mappers.binding().valueToTree(manifest.server()));
        root.set("plugins", Mappers.binding().valueToTree(manifest.plugins()));
        root.set("routing", Mappers.binding().valueToTree(manifest.routing()));
        root.set("health", Mappers.binding().valueToTree(manifest.health()));
        root.set("resilience", Mappers.binding().valueToTree(manifest.resilience()));
        root.set("admission", Mappers.binding().valueToTree(manifest.admission()));
        root.set("logging", Mappers.binding().valueToTree(manifest.logging()));
        root.set("observability", Mappers.binding().valueToTree(manifest.observability()));
        root.set("workers", Mappers.binding().valueToTree(manifest.workers()));
        mask(root);
        Object plain = Mappers.shared().convertValue(root, Map.class);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        return new Dump(settings).dumpToString(plain);
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                JsonNode child = object.get(name);
                // Only text can hold a secret: flags and counts such as routing_key_override or
                // prefix_token_count stay readable.
                if (isSecret(name) && child.isTextual()) {
                    object.put(name, "****");
                } else if (isSecret(name) && child.isArray()) {
                    com.fasterxml.jackson.databind.node.ArrayNode masked = object.putArray(name);
                    child.forEach(c -> masked.add("****"));
                } else {
                    mask(child);
                }
            });
        } else if (node != null && node.isArray()) {
            node.forEach(EffectiveManifest::mask);
        }
    }

    private static boolean isSecret(String name) {
        for (String part : name.toLowerCase(java.util.Locale.ROOT).split("_")) {
            if (SECRET_WORDS.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
