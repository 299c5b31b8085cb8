package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * One guest module, as declared in the manifest or uploaded through {@code POST /wasm}. Missing keys
 * take the defaults below (SMG's limits).
 *
 * @param name unique module name
 * @param path {@code path}: the {@code .wasm} file (absolute, or relative to the working directory);
 *     SMG's {@code file_path} is accepted too
 * @param filePath SMG spelling of {@code path}
 * @param wasmBase64 {@code wasm_base64}: the module bytes inline (uploads)
 * @param hooks {@code hooks}: {@code on_request} and/or {@code on_response} (default {@code [on_request]})
 * @param attachPoints SMG spelling of {@code hooks}: {@code [{"Middleware":"OnRequest"}]}
 * @param moduleType SMG's {@code module_type}; only {@code Middleware} is served
 * @param failureMode {@code fail_closed} (default: the request gets a 503) or {@code fail_open}
 * @param maxPages linear memory cap in 64 KiB pages (default 1024 = 64 MiB; at most 65536)
 * @param timeoutMs per-call deadline (default 1000; at most 300000)
 * @param streamEvents whether {@code on_response} also runs once per SSE event of streamed answers
 * @param config JSON handed to the guest's {@code on_configure} and readable with {@code config_read}
 */
public record ModuleConfig(String name, String path, String filePath, String wasmBase64, List<JsonNode> hooks,
                           List<JsonNode> attachPoints, String moduleType, String failureMode, Integer maxPages,
                           Integer timeoutMs, Boolean streamEvents, JsonNode config) {

    public static final int DEFAULT_MAX_PAGES = 1024;
    public static final int MAX_PAGES = 65536;
    public static final int DEFAULT_TIMEOUT_MS = 1000;
    public static final int MAX_TIMEOUT_MS = 300_000;

    public ModuleConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("every wasm module needs a 'name'");
        }
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("module name '" + name + "' must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        if (path == null) {
            path = filePath;
        }
        if (hooks == null || hooks.isEmpty()) {
            hooks = attachPoints == null || attachPoints.isEmpty()
                    ? List.of(JsonNodeFactory.instance.textNode("on_request")) : attachPoints;
        }
        if (moduleType != null && !moduleType.equalsIgnoreCase("middleware")) {
            throw new IllegalArgumentException("module_type '" + moduleType + "' is not served (only Middleware)");
        }
        failureMode = failureMode == null ? FailureMode.FAIL_CLOSED.wireName() : failureMode;
        FailureMode.parse(failureMode);
        maxPages = maxPages == null ? DEFAULT_MAX_PAGES : maxPages;
        if (maxPages < 1 || maxPages > MAX_PAGES) {
            throw new IllegalArgumentException("max_pages must be 1.." + MAX_PAGES + ", not " + maxPages);
        }
        timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException("timeout_ms must be 1.." + MAX_TIMEOUT_MS + ", not " + timeoutMs);
        }
        streamEvents = streamEvents != null && streamEvents;
        config = config == null || config.isNull() ? JsonNodeFactory.instance.objectNode() : config;
        hookSet(hooks);
    }

    /** The hooks named, in either spelling. */
    java.util.Set<Hook> hookSet() {
        return hookSet(hooks);
    }

    private static java.util.Set<Hook> hookSet(List<JsonNode> hooks) {
        java.util.Set<Hook> set = java.util.EnumSet.noneOf(Hook.class);
        for (JsonNode hook : hooks) {
            if (hook.isTextual()) {
                set.add(Hook.parse(hook.asText()));
            } else if (hook.isObject() && hook.has("Middleware")) {
                set.add(Hook.parse(hook.get("Middleware").asText()));
            } else {
                throw new IllegalArgumentException("a hook is on_request or on_response, not " + hook);
            }
        }
        return set;
    }

    FailureMode failure() {
        return FailureMode.parse(failureMode);
    }
}
