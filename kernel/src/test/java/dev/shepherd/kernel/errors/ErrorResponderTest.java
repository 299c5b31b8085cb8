package dev.shepherd.kernel.errors;

import dev.shepherd.kernel.errors.ErrorResponder;
import dev.shepherd.kernel.errors.Errors;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.GatewayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorResponderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theBodyHasOpenAisShapeWithTheParam() throws IOException {
        JsonNode body = JSON.readTree(ErrorResponder.openAiBody(
                GatewayException.badRequest("invalid_value", "temperature", "temperature must be <= 2")));

        assertThat(body.size()).isEqualTo(1);
        JsonNode error = body.get("error");
        assertThat(error.get("message").asText()).isEqualTo("temperature must be <= 2");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_value");
        assertThat(error.get("param").asText()).isEqualTo("temperature");
    }

    @Test
    void aMissingParamIsNull() throws IOException {
        JsonNode error = JSON.readTree(ErrorResponder.openAiBody(Errors.upstreamFailed("refused"))).get("error");

        assertThat(error.has("param")).isTrue();
        assertThat(error.get("param").isNull()).isTrue();
        assertThat(error.get("type").asText()).isEqualTo("upstream_error");
        assertThat(error.get("code").asText()).isEqualTo("bad_gateway");
        assertThat(error.get("message").asText()).isEqualTo("The worker failed to answer: refused");
    }

    @Test
    void messagesAreEscaped() throws IOException {
        String nasty = "quote \" backslash \\ newline \n tab \t unicode \u2603";

        JsonNode error = JSON.readTree(ErrorResponder.openAiBody(GatewayException.badRequest("x", null, nasty))).get("error");

        assertThat(error.get("message").asText()).isEqualTo(nasty);
    }

    @Test
    void aStreamErrorIsOneServerSentEvent() throws IOException {
        GatewayException failure = Errors.upstreamTimeout("idle");

        String event = new String(ErrorResponder.sseEvent(failure), StandardCharsets.UTF_8);

        assertThat(event).startsWith("data: ").endsWith("\n\n");
        assertThat(event.substring(6, event.length() - 2)).doesNotContain("\n");
        JsonNode json = JSON.readTree(event.substring(6));
        assertThat(json).isEqualTo(JSON.readTree(ErrorResponder.openAiBody(failure)));
        assertThat(json.path("error").path("code").asText()).isEqualTo("gateway_timeout");
    }
}
