package dev.shepherd.plugin.api.openai;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible endpoints. Every part is stateless or immutable once built, so one instance
 * serves all I/O threads; errors use the kernel's default OpenAI error shape.
 */
public final class OpenAiApi implements Api {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiApi.class);

    static final String MODELS_PATH = "/v1/models";

    private final List<Endpoint> endpoints;

    public OpenAiApi(OpenAiApiConfig config, PluginContext context) {
        List<Endpoint> list = new ArrayList<>();
        for (InferenceKind kind : InferenceKind.values()) {
            list.add(new Endpoint.Inference("POST", kind.path(),
                    new OpenAiRequestParser(kind, context.objectMapper())));
        }
        // "created" is when this gateway started serving the list, so repeated listings agree.
        long createdEpochSeconds = context.clock().instant().getEpochSecond();
        list.add(new Endpoint.Local("GET", MODELS_PATH, false,
                new ModelListHandler(context.workers(), context.objectMapper(), config.ownedBy(), createdEpochSeconds)));
        this.endpoints = List.copyOf(list);
        LOG.info("OpenAI API serves {}", endpoints.stream().map(e -> e.method() + " " + e.path()).toList());
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }
}
