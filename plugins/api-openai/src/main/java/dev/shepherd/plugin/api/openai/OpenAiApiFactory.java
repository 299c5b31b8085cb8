package dev.shepherd.plugin.api.openai;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.ApiFactory;
import org.pf4j.Extension;

/**
 * Makes the OpenAI-compatible API: chat, completions, embeddings, SGLang's native {@code /generate}
 * and the model list. Selected in the manifest as {@code apis: openai:}.
 */
@Extension
public final class OpenAiApiFactory implements ApiFactory<OpenAiApiConfig> {

    public static final String NAME = "openai";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<OpenAiApiConfig> configType() {
        return OpenAiApiConfig.class;
    }

    @Override
    public Api create(OpenAiApiConfig config, PluginContext context) {
        return new OpenAiApi(config, context);
    }
}
