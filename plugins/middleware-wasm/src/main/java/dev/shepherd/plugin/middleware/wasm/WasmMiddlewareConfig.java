package dev.shepherd.plugin.middleware.wasm;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code config} of a {@code middleware: - name: wasm} entry.
 *
 * @param modules the guests loaded at start-up, run in this order (on_response in reverse)
 * @param engine {@code compiled} (default: guest code becomes JVM bytecode) or {@code interpreted}
 * @param maxIdleInstances instances kept warm per module (default 16); more are made under load and dropped after
 * @param maxBodyBytes largest request or response body handed to a guest (default 10 MiB); a larger one
 *     counts as a limit hit and is answered per the module's failure mode
 * @param maxOutputBytes largest action a guest may write (default 10 MiB)
 */
public record WasmMiddlewareConfig(List<ModuleConfig> modules, String engine, Integer maxIdleInstances,
                                   Integer maxBodyBytes, Integer maxOutputBytes) {

    public static final int DEFAULT_MAX_IDLE_INSTANCES = 16;
    public static final int DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

    public WasmMiddlewareConfig {
        modules = modules == null ? List.of() : List.copyOf(modules);
        Set<String> names = new HashSet<>();
        for (ModuleConfig module : modules) {
            if (!names.add(module.name())) {
                throw new IllegalArgumentException("two wasm modules are named '" + module.name() + "'");
            }
            if (module.path() == null && module.wasmBase64() == null) {
                throw new IllegalArgumentException("wasm module '" + module.name() + "' needs a 'path'");
            }
        }
        engine = engine == null ? "compiled" : engine;
        Engine.parse(engine);
        maxIdleInstances = maxIdleInstances == null ? DEFAULT_MAX_IDLE_INSTANCES : maxIdleInstances;
        if (maxIdleInstances < 1) {
            throw new IllegalArgumentException("max_idle_instances must be >= 1, not " + maxIdleInstances);
        }
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        maxOutputBytes = maxOutputBytes == null ? GuestAbi.DEFAULT_MAX_OUTPUT_BYTES : maxOutputBytes;
        if (maxBodyBytes < 1 || maxOutputBytes < 1) {
            throw new IllegalArgumentException("max_body_bytes and max_output_bytes must be >= 1");
        }
    }

    public static WasmMiddlewareConfig defaults() {
        return new WasmMiddlewareConfig(null, null, null, null, null);
    }
}
