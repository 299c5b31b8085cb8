package dev.shepherd.plugin.middleware.wasm;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.middleware.Middleware;
import dev.shepherd.spi.middleware.MiddlewareFactory;
import org.pf4j.Extension;

/**
 * Creates the WebAssembly middleware: {@code middleware: - name: wasm}, configured by
 * {@link WasmMiddlewareConfig}. Every declared module is loaded, validated and started before the
 * gateway serves; a bad one stops start-up with its name and the reason.
 */
@Extension
public final class WasmMiddlewareFactory implements MiddlewareFactory<WasmMiddlewareConfig> {

    @Override
    public String name() {
        return "wasm";
    }

    @Override
    public Class<WasmMiddlewareConfig> configType() {
        return WasmMiddlewareConfig.class;
    }

    @Override
    public Middleware create(WasmMiddlewareConfig config, PluginContext context) {
        Deadlines deadlines = new Deadlines(context.scheduler());
        ModuleLoader loader = new ModuleLoader(context.objectMapper(), context.meterRegistry(), deadlines,
                context.clock(), config);
        ModuleRegistry registry = new ModuleRegistry(loader);
        for (ModuleConfig module : config.modules()) {
            try {
                registry.put(module, ModuleLoader.bytesOf(module));
            } catch (InvalidModuleException e) {
                registry.clear();
                deadlines.close();
                throw new IllegalArgumentException("wasm module '" + module.name() + "': " + e.getMessage(), e);
            }
        }
        WasmRuntimes.publish(registry);
        return new WasmMiddleware(registry, new HookChain(config.maxBodyBytes()), context.blockingExecutor(),
                () -> {
                    WasmRuntimes.withdraw(registry);
                    deadlines.close();
                });
    }
}
