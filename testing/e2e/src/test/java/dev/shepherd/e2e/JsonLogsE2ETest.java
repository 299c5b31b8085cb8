package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-json}: everything the gateway prints is one JSON object per line, with the request's
 * id on its access log line; {@code --log-dir} writes the same lines to {@code smg.log}; and no secret
 * (the worker API key, control-plane keys, client bearer tokens and API keys) appears anywhere, even at
 * debug level.
 */
class JsonLogsE2ETest {

    private static final String MODEL = "sim-model";
    private static final String WORKER_KEY = "secret-worker-key-4c1d2b";
    private static final String ADMIN_KEY = "secret-admin-key-9a8b7c";
    private static final String CLIENT_TOKEN = "secret-client-token-5e6f7a";
    private static final String CLIENT_API_KEY = "secret-client-apikey-1b2c3d";
    private static final String WRONG_KEY = "secret-wrong-admin-key-0f0e";
    private static final List<String> SECRETS = List.of(WORKER_KEY, ADMIN_KEY, CLIENT_TOKEN, CLIENT_API_KEY, WRONG_KEY);
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @TempDir
    static Path logDir;

    private static SimEngine engine;
    private static GatewayProcess gateway;
    private static String output;
    private static List<String> fileLines;

    @BeforeAll
    static void runTrafficThenStop() throws IOException {
        engine = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels(MODEL));
        gateway = GatewayProcess.launch(Duration.ofSeconds(60), "--worker-urls", engine.url(),
                "--api-key", WORKER_KEY, "--control-plane-api-keys", "ops1:ops:admin:" + ADMIN_KEY,
                "--health-check-interval-secs", "1", "--log-json", "--log-level", "debug",
                "--log-dir", logDir.toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.json(Http.get(gateway.baseUrl() + "/readiness"))
                .path("healthy_workers").asInt() == 1);

        String url = gateway.baseUrl();
        expect(Http.post(url + "/v1/chat/completions", "application/json", chat(false),
                "Authorization", "Bearer " + CLIENT_TOKEN, "x-request-id", "json-e2e-chat"), 200);
        expect(Http.post(url + "/v1/chat/completions", "application/json", chat(true),
                "Authorization", "Bearer " + CLIENT_TOKEN, "x-api-key", CLIENT_API_KEY, "x-request-id", "json-e2e-stream"), 200);
        expect(Http.get(url + "/workers", "Authorization", "Bearer " + ADMIN_KEY, "x-request-id", "json-e2e-admin"), 200);
        expect(Http.get(url + "/workers", "Authorization", "Bearer " + WRONG_KEY, "x-request-id", "json-e2e-denied"), 401);
        expect(Http.post(url + "/v1/chat/completions", "application/json", "{\"model\": ", "Authorization",
                "Bearer " + CLIENT_TOKEN, "x-request-id", "json-e2e-bad"), 400);
        expect(Http.post(url + "/v1/chat/completions", "application/json",
                "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"" + CLIENT_API_KEY + "\"}]}",
                "Authorization", "Bearer " + CLIENT_TOKEN, "x-request-id", "json-e2e-unknown"), 404);

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.output().contains("json-e2e-unknown"));
        gateway.stop(Duration.ofSeconds(30));
        output = gateway.output();
        fileLines = Files.readAllLines(logDir.resolve("smg.log"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    private static String chat(boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":3,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    private static List<JsonNode> parsed(List<String> lines) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = STRICT.readTree(line);
                assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
                nodes.add(node);
            } catch (IOException e) {
                throw new AssertionError("a line that is not one JSON object: " + line, e);
            }
        }
        return nodes;
    }

    private static JsonNode accessLine(List<JsonNode> lines, String requestId) {
        return lines.stream()
                .filter(l -> "smg.access".equals(l.path("logger").asText()) && requestId.equals(l.path("request_id").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no access line for " + requestId));
    }

    @Test
    void everyLineTheGatewayPrintsIsOneJsonObjectWithTheCommonFields() {
        List<JsonNode> lines = parsed(output.lines().toList());

        assertThat(lines).hasSizeGreaterThan(6);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("timestamp").asText()).as(line.toString()).isNotBlank();
            assertThat(line.path("level").asText()).as(line.toString()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("logger").asText()).as(line.toString()).isNotBlank();
            assertThat(line.path("thread").asText()).as(line.toString()).isNotBlank();
            assertThat(line.has("message")).as(line.toString()).isTrue();
        });
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).startsWith("Shepherd listening on"));
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).isEqualTo("Shepherd stopped"));
    }

    @Test
    void eachRequestHasAnAccessLineWithItsRequestIdAndWhatHappened() {
        List<JsonNode> lines = parsed(output.lines().toList());

        JsonNode chat = accessLine(lines, "json-e2e-chat");
        assertThat(chat.path("level").asText()).isEqualTo("INFO");
        assertThat(chat.path("method").asText()).isEqualTo("POST");
        assertThat(chat.path("route").asText()).isEqualTo("/v1/chat/completions");
        assertThat(chat.path("status").asInt()).isEqualTo(200);
        assertThat(chat.path("latency_ms").isNumber()).isTrue();
        assertThat(chat.path("model").asText()).isEqualTo(MODEL);
        assertThat(chat.path("worker").asText()).isEqualTo(engine.url());
        assertThat(chat.path("attempts").asInt()).isEqualTo(1);
        assertThat(chat.path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(chat.path("prompt_tokens").asInt()).isPositive();

        JsonNode stream = accessLine(lines, "json-e2e-stream");
        assertThat(stream.path("stream").asBoolean()).isTrue();
        assertThat(stream.path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(stream.path("ttft_ms").isNumber()).isTrue();

        assertThat(accessLine(lines, "json-e2e-admin").path("route").asText()).isEqualTo("/workers");
        assertThat(accessLine(lines, "json-e2e-denied").path("status").asInt()).isEqualTo(401);
        assertThat(accessLine(lines, "json-e2e-bad").path("error_code").asText()).isEqualTo("invalid_json");
        assertThat(accessLine(lines, "json-e2e-unknown").path("error_code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void noSecretAppearsAnywhereInTheOutputOrTheLogFile() {
        String file = String.join("\n", fileLines);
        for (String secret : SECRETS) {
            assertThat(output).as("gateway output").doesNotContain(secret);
            assertThat(file).as("smg.log").doesNotContain(secret);
        }
    }

    @Test
    void theLogDirectoryHoldsTheSameJsonLinesInSmgLog() {
        List<JsonNode> lines = parsed(fileLines);

        assertThat(lines).hasSizeGreaterThan(6);
        accessLine(lines, "json-e2e-chat");
        assertThat(fileLines).hasSameSizeAs(output.lines().filter(l -> !l.isBlank()).toList());
    }
}
