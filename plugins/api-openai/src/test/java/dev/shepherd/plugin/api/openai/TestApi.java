package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.ParsedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The API as the kernel sees it, with shorthands to send it requests. */
final class TestApi {

    final TestPluginContext context = new TestPluginContext();
    final OpenAiApi api = new OpenAiApi(OpenAiApiConfig.defaults(), context);

    static IncomingRequest request(String method, String path, String contentType, byte[] body) {
        Headers headers = contentType == null ? Headers.EMPTY
                : new Headers(Map.of("content-type", List.of(contentType)));
        return new IncomingRequest("req-1", method, path, "", Map.of(), headers, body);
    }

    static IncomingRequest post(String path, String json) {
        return request("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    Endpoint.Inference inference(String path) {
        return api.endpoints().stream()
                .filter(e -> e instanceof Endpoint.Inference && e.path().equals(path))
                .map(Endpoint.Inference.class::cast)
                .findFirst().orElseThrow();
    }

    Endpoint.Local local(String path) {
        return api.endpoints().stream()
                .filter(e -> e instanceof Endpoint.Local && e.path().equals(path))
                .map(Endpoint.Local.class::cast)
                .findFirst().orElseThrow();
    }

    ParsedRequest parse(IncomingRequest request) {
        return inference(request.path()).parser().parse(request);
    }

    ParsedRequest parse(String path, String json) {
        return parse(post(path, json));
    }

    /** Parses and returns the refusal, failing the test if the request was accepted. */
    GatewayException refusal(IncomingRequest request) {
        GatewayException error = catchThrowableOfType(GatewayException.class, () -> parse(request));
        String body = request.body() == null ? "(no body)" : new String(request.body(), StandardCharsets.UTF_8);
        assertThat(error).as("refusal of %s", body).isNotNull();
        return error;
    }

    GatewayException refusal(String path, String json) {
        return refusal(post(path, json));
    }
}
