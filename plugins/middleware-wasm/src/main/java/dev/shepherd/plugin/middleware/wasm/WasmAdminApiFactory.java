package dev.shepherd.plugin.middleware.wasm;

import dev.shepherd.spi.NoConfig;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.ApiFactory;
import org.pf4j.Extension;

/**
 * Creates the {@code /wasm} admin routes ({@code apis: wasm:}). They manage the modules of the
 * {@code wasm} middleware and answer 404 while no such middleware is configured.
 */
@Extension
public final class WasmAdminApiFactory implements ApiFactory<NoConfig> {

    @Override
    public String name() {
        return "wasm";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Api create(NoConfig config, PluginContext context) {
        return new WasmAdminApi(context.blockingExecutor());
    }
}
