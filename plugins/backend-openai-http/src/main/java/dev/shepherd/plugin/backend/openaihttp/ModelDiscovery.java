package dev.shepherd.plugin.backend.openaihttp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.worker.WorkerSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Asks a worker which models it serves: the OpenAI {@code GET /v1/models} list first, then SGLang's
 * {@code GET /get_model_info} (its {@code model_path}) for engines whose list is missing or empty.
 * Both requests share the caller's time budget. Completes exceptionally with
 * {@link IllegalStateException} saying what each endpoint answered when neither names a model.
 */
final class ModelDiscovery {

    static final String MODELS_PATH = "/v1/models";
    static final String MODEL_INFO_PATH = "/get_model_info";

    /** Why one endpoint gave no model: shown to the operator when both fail. */
    private record Answer(List<String> models, String problem, boolean unreachable) {

        static Answer of(List<String> models) {
            return new Answer(models, null, false);
        }

        static Answer problem(String problem) {
            return new Answer(List.of(), problem, false);
        }
    }

    private final UpstreamClient client;
    private final ObjectMapper mapper;

    ModelDiscovery(UpstreamClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    CompletionStage<List<String>> discover(WorkerSpec spec, Duration timeout) {
        Optional<String> apiKey = Optional.ofNullable(spec.apiKey());
        long deadline = System.nanoTime() + timeout.toNanos();
        return ask(spec.url(), apiKey, MODELS_PATH, timeout, this::modelIds).thenCompose(models -> {
            if (!models.models().isEmpty()) {
                return CompletableFuture.completedFuture(models.models());
            }
            if (models.unreachable()) {
                throw new CompletionException(new IllegalStateException(
                        "cannot discover the models of worker " + spec.url() + ": " + models.problem()));
            }
            Duration remaining = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
            return ask(spec.url(), apiKey, MODEL_INFO_PATH, remaining, this::modelPath).thenApply(info -> {
                if (info.models().isEmpty()) {
                    throw new CompletionException(new IllegalStateException(
                            "cannot discover the models of worker " + spec.url() + ": " + MODELS_PATH + " "
                                    + models.problem() + "; " + MODEL_INFO_PATH + " " + info.problem()));
                }
                return info.models();
            });
        });
    }

    private interface BodyReader {
        Answer read(JsonNode body);
    }

    private CompletableFuture<Answer> ask(String url, Optional<String> apiKey, String path, Duration timeout,
                                          BodyReader reader) {
        return client.get(url, apiKey, path, timeout, CollectingSink.keepingBody()).handle((response, error) -> {
            if (error != null) {
                return failed(error);
            }
            if (!response.isSuccess()) {
                return Answer.problem("answered status " + response.status());
            }
            try {
                return reader.read(mapper.readTree(response.body()));
            } catch (JsonProcessingException e) {
                return Answer.problem("answered invalid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                return Answer.problem("answered an unreadable body: " + e.getMessage());
            }
        });
    }

    private static Answer failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof UpstreamCallException call) {
            boolean unreachable = call.failure().kind() == UpstreamFailure.Kind.CONNECT;
            return new Answer(List.of(), (unreachable ? "unreachable: " : "failed: ") + call.getMessage(), unreachable);
        }
        return Answer.problem("failed: " + cause);
    }

    /** {@code {"data": [{"id": "m1"}, ...]}}: the ids in order, without duplicates. */
    private Answer modelIds(JsonNode body) {
        JsonNode data = body == null ? null : body.get("data");
        if (data == null || !data.isArray()) {
            return Answer.problem("answered no \"data\" list");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode model : data) {
            JsonNode id = model.get("id");
            if (id != null && id.isTextual() && !id.asText().isBlank()) {
                ids.add(id.asText());
            }
        }
        return ids.isEmpty() ? Answer.problem("listed no model") : Answer.of(new ArrayList<>(ids));
    }

    /** {@code {"model_path": "meta-llama/Llama-3.1-8B-Instruct", ...}}. */
    private Answer modelPath(JsonNode body) {
        JsonNode path = body == null ? null : body.get("model_path");
        if (path == null || !path.isTextual() || path.asText().isBlank()) {
            return Answer.problem("answered no \"model_path\"");
        }
        return Answer.of(List.of(path.asText()));
    }
}
