package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.api.LocalHandler;
import dev.shepherd.spi.api.LocalResponse;
import dev.shepherd.spi.worker.WorkerRegistryView;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers {@code GET /v1/models} with the OpenAI model list of the models the registered workers serve:
 * {@code {"object":"list","data":[{"id","object":"model","created","owned_by"}]}}. Reads the registry's
 * current snapshot on every call (cheap, copy-on-write), so workers added or removed show at once.
 * Wildcard workers (serving any model) name no model and so add no entry.
 */
final class ModelListHandler implements LocalHandler {

    private final WorkerRegistryView workers;
    private final ObjectMapper objectMapper;
    private final String ownedBy;
    private final long createdEpochSeconds;

    ModelListHandler(WorkerRegistryView workers, ObjectMapper objectMapper, String ownedBy, long createdEpochSeconds) {
        this.workers = workers;
        this.objectMapper = objectMapper;
        this.ownedBy = ownedBy;
        this.createdEpochSeconds = createdEpochSeconds;
    }

    @Override
    public CompletionStage<LocalResponse> handle(IncomingRequest request) {
        // Built as a tree, not from records, so the shared mapper's naming strategy cannot rename fields.
        ObjectNode list = objectMapper.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String model : workers.models()) {
            data.addObject()
                    .put("id", model)
                    .put("object", "model")
                    .put("created", createdEpochSeconds)
                    .put("owned_by", ownedBy);
        }
        try {
            return CompletableFuture.completedFuture(LocalResponse.json(200, objectMapper.writeValueAsBytes(list)));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
