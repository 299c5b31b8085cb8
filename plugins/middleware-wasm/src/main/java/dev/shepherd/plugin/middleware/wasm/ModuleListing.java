package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The JSON {@code GET /wasm} shows: each module's identity, settings and counters (SMG's fields and more). */
final class ModuleListing {

    private ModuleListing() {
    }

    static ObjectNode list(ObjectMapper mapper, List<LoadedModule> modules) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode array = root.putArray("modules");
        modules.forEach(m -> array.add(one(mapper, m)));
        return root;
    }

    static ObjectNode one(ObjectMapper mapper, LoadedModule module) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", module.id());
        node.put("name", module.name());
        node.put("sha256", module.sha256());
        node.put("size_bytes", module.sizeBytes());
        node.put("source", module.config().path() == null ? "upload" : module.config().path());
        ArrayNode hooks = node.putArray("hooks");
        for (Hook hook : Hook.values()) {
            if (module.attachedTo(hook)) {
                hooks.add(hook.exportName());
            }
        }
        node.put("failure_mode", module.failureMode().wireName());
        node.put("max_pages", module.config().maxPages());
        node.put("timeout_ms", module.config().timeoutMs());
        node.put("stream_events", module.streamEvents());
        node.put("created_at", module.createdAt().toString());
        long last = module.metrics().lastAccessMillis();
        if (last > 0) {
            node.put("last_accessed_at", Instant.ofEpochMilli(last).toString());
        } else {
            node.putNull("last_accessed_at");
        }
        node.put("idle_instances", module.idleInstances());
        ModuleMetrics metrics = module.metrics();
        ObjectNode stats = node.putObject("metrics");
        stats.put("total_executions", metrics.total());
        stats.put("successful_executions", metrics.total() - metrics.failed());
        stats.put("failed_executions", metrics.failed());
        stats.put("timeouts", metrics.failures(GuestOutcome.Kind.TIMEOUT));
        stats.put("traps", metrics.failures(GuestOutcome.Kind.TRAP) + metrics.failures(GuestOutcome.Kind.MEMORY));
        stats.put("total_execution_ms", metrics.totalMillis());
        stats.put("max_execution_ms", metrics.maxMillis());
        stats.put("avg_execution_ms", metrics.total() == 0 ? 0 : metrics.totalMillis() / metrics.total());
        return node;
    }
}
