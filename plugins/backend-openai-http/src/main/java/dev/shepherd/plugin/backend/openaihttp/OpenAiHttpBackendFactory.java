package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.backend.BackendFactory;
import org.pf4j.Extension;

/**
 * Makes the {@code openai_http} backend: the default way the gateway talks to self-hosted engines
 * (vLLM, SGLang, TRT-LLM, Ollama) and any other OpenAI-compatible HTTP server.
 */
@Extension
public final class OpenAiHttpBackendFactory implements BackendFactory<OpenAiHttpBackendConfig> {

    public static final String NAME = "openai_http";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<OpenAiHttpBackendConfig> configType() {
        return OpenAiHttpBackendConfig.class;
    }

    @Override
    public Backend create(OpenAiHttpBackendConfig config, PluginContext context) {
        return new OpenAiHttpBackend(config, context);
    }
}
