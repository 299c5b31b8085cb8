package dev.shepherd.kernel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.ParsedRequest;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.api.LocalResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A tiny API for kernel tests: {@code POST /v1/test/completions} forwards JSON bodies naming a
 * {@code model} (and optionally {@code stream}) to {@code /v1/completions} on the worker;
 * {@code GET /v1/test/models} is answered by the API itself.
 */
public final class TestApi implements Api {

    public static final String PATH = "/v1/test/completions";
    public static final String UPSTREAM_PATH = "/v1/completions";

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                new Endpoint.Inference("POST", PATH, TestApi::parse),
                new Endpoint.Local("GET", "/v1/test/models", false,
                        request -> CompletableFuture.completedFuture(LocalResponse.json(200, "{\"data\":[]}".getBytes()))));
    }

    private static ParsedRequest parse(IncomingRequest request) {
        JsonNode json;
        try {
            json = Mappers.shared().readTree(request.body());
        } catch (IOException e) {
            throw GatewayException.badRequest("invalid_json", null, "The body is not JSON");
        }
        if (json == null || !json.path("model").isTextual()) {
            throw GatewayException.badRequest("missing_model", "model", "model is required");
        }
        return new Parsed(json.path("model").asText(), json.path("stream").asBoolean(false), request.body(), json);
    }

    /** The parsed body: eager model and stream flag, the original bytes forwarded untouched. */
    record Parsed(String model, boolean stream, byte[] body, JsonNode json) implements ParsedRequest {

        @Override
        public String kind() {
            return "completions";
        }

        @Override
        public String upstreamPath() {
            return UPSTREAM_PATH;
        }

        @Override
        public String routingText() {
            return json.path("prompt").asText("");
        }

        @Override
        public ParsedRequest withModel(String newModel) {
            ObjectNode copy = json.deepCopy();
            copy.put("model", newModel);
            try {
                return new Parsed(newModel, stream, Mappers.shared().writeValueAsBytes(copy), copy);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
