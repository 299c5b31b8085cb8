package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assembled server in front of two simulated engines, driven by the official OpenAI SDK: the
 * data path, the control plane and the errors a client sees.
 */
class ChatThroughGatewayE2ETest {

    private static final String MODEL = "sim-model";
    private static final String ADMIN_KEY = "e2e-admin-key";
    private static final int MAX_PAYLOAD = 64 * 1024;

    private static SimEngine first;
    private static SimEngine second;
    private static GatewayProcess gateway;
    private static OpenAIClient openai;

    @BeforeAll
    static void start() {
        first = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels(MODEL));
        second = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels(MODEL));
        gateway = GatewayProcess.launch(Duration.ofSeconds(60), "--worker-urls", first.url(), second.url(),
                "--policy", "round_robin", "--max-payload-size", Integer.toString(MAX_PAYLOAD),
                "--api-key", ADMIN_KEY, "--health-check-interval-secs", "1");
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("client-key")
                .maxRetries(0).build();
        awaitReady();
    }

    private static void awaitReady() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> Http.get(gateway.baseUrl() + "/readiness").statusCode() == 200
                        && Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("healthy_workers").asInt() == 2);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private static ChatCompletionCreateParams chat(String prompt) {
        return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(prompt).maxCompletionTokens(6).build();
    }

    @Test
    void servesAChatCompletionWithUsage() {
        ChatCompletion completion = openai.chat().completions().create(chat("Tell me about sheep"));

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).isPresent().get().asString().isNotBlank();
        assertThat(completion.usage()).isPresent();
        assertThat(completion.usage().get().completionTokens()).isEqualTo(6);
    }

    @Test
    void streamsAChatCompletionChunkByChunk() {
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat("Stream to me"))) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            String text = chunks.stream()
                    .flatMap(c -> c.choices().stream())
                    .map(choice -> choice.delta().content().orElse(""))
                    .collect(Collectors.joining());
            assertThat(chunks.size()).isGreaterThanOrEqualTo(6);
            assertThat(text.trim().split("\\s+")).hasSize(6);
        }
    }

    @Test
    void servesLegacyCompletions() {
        Completion completion = openai.completions().create(CompletionCreateParams.builder()
                .model(MODEL).prompt("Once upon a time").maxTokens(4).build());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).text()).isNotBlank();
    }

    @Test
    void listsTheModelsOfItsWorkers() {
        List<String> ids = openai.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).containsExactly(MODEL);
    }

    @Test
    void spreadsRequestsOverBothWorkers() {
        long firstBefore = first.stats().inferenceRequests();
        long secondBefore = second.stats().inferenceRequests();
        for (int i = 0; i < 10; i++) {
            openai.chat().completions().create(chat("spread " + i));
        }
        assertThat(first.stats().inferenceRequests() - firstBefore).isGreaterThanOrEqualTo(4);
        assertThat(second.stats().inferenceRequests() - secondBefore).isGreaterThanOrEqualTo(4);
    }

    @Test
    void echoesTheClientsRequestIdAndForwardsItToTheWorker() {
        HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                chatBody("request id"), "x-request-id", "client-id-42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id")).hasValue("client-id-42");
        boolean seen = List.of(first, second).stream().anyMatch(e -> e.stats().recentRequests().stream()
                .anyMatch(r -> "client-id-42".equals(r.header("x-request-id"))));
        assertThat(seen).as("a worker received the client's request id").isTrue();
    }

    @Test
    void generatesARequestIdWhenTheClientSendsNone() {
        HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json", chatBody("x"));

        assertThat(response.headers().firstValue("x-request-id")).get().asString().startsWith("req-");
    }

    @Test
    void refusesMalformedJsonWith400() {
        assertError(Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json", "{\"model\": "),
                400, "invalid_json");
    }

    @Test
    void refusesAChatWithoutMessagesWith400() {
        HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                "{\"model\":\"" + MODEL + "\"}");
        assertError(response, 400, "missing_required_parameter");
        assertThat(Http.json(response).path("error").path("param").asText()).isEqualTo("messages");
    }

    @Test
    void refusesABodyOverTheMaximumPayloadWith413() {
        String huge = "x".repeat(MAX_PAYLOAD + 1);
        assertError(Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + huge + "\"}]}"),
                413, "payload_too_large");
    }

    @Test
    void answersAnUnknownRouteWith404() {
        assertError(Http.get(gateway.baseUrl() + "/v1/unknown"), 404, "not_found");
    }

    @Test
    void answersAnUnknownModelWith404() {
        assertError(Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                404, "model_not_found");
    }

    @Test
    void refusesANonJsonContentTypeWith415() {
        assertError(Http.post(gateway.baseUrl() + "/v1/chat/completions", "text/plain", chatBody("x")),
                415, "unsupported_media_type");
    }

    @Test
    void adminRoutesNeedTheAdminKey() {
        assertError(Http.get(gateway.baseUrl() + "/workers"), 401, "invalid_api_key");
        assertError(Http.get(gateway.baseUrl() + "/workers", "Authorization", "Bearer wrong"), 401, "invalid_api_key");

        HttpResponse<String> workers = Http.get(gateway.baseUrl() + "/workers", "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(workers.statusCode()).isEqualTo(200);
        JsonNode list = Http.json(workers);
        assertThat(list.path("total").asInt()).isEqualTo(2);
        assertThat(list.path("workers").get(0).has("api_key")).isFalse();
    }

    @Test
    void publicHealthRoutesNeedNoKey() {
        assertThat(Http.get(gateway.baseUrl() + "/health").body()).isEqualTo("OK");
        assertThat(Http.get(gateway.baseUrl() + "/liveness").statusCode()).isEqualTo(200);
        assertThat(Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("status").asText()).isEqualTo("ready");
    }

    static String chatBody(String prompt) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = Http.json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isNotBlank();
    }
}
