package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assembled server with WASM middleware from its manifest: the auth guest rejects requests
 * without the key, the header guest's changes reach the worker and the client, and modules are
 * managed at run time through the admin-only /wasm routes.
 */
class WasmMiddlewareE2ETest {

    private static final String ADMIN_KEY = "wasm-e2e-admin";
    private static final String CLIENT_KEY = "wasm-e2e-client";
    private static final String ADMIN = "Bearer " + ADMIN_KEY;

    private static SimEngine engine;
    private static GatewayProcess gateway;
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("wasm-e2e-");
        Path headers = Files.write(dir.resolve("headers.wasm"), wasm("headers"));
        Path auth = Files.write(dir.resolve("auth.wasm"), wasm("auth"));
        Path redact = Files.write(dir.resolve("redact.wasm"), wasm("redact"));
        Path manifest = Files.writeString(dir.resolve("smg.yaml"), """
                middleware:
                  - name: wasm
                    config:
                      modules:
                        - name: headers
                          path: "%s"
                          hooks: [on_request, on_response]
                          failure_mode: fail_open
                        - name: auth
                          path: "%s"
                          config: {api_key: "%s"}
                        - name: events
                          path: "%s"
                          hooks: [on_response]
                          stream_events: true
                          failure_mode: fail_open
                """.formatted(headers.toString().replace('\\', '/'), auth.toString().replace('\\', '/'), CLIENT_KEY,
                        redact.toString().replace('\\', '/')));
        engine = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels("sim-model"));
        gateway = GatewayProcess.launch(Duration.ofSeconds(90), "--config", manifest.toString(),
                "--worker-urls", engine.url(), "--api-key", ADMIN_KEY, "--health-check-interval-secs", "1");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("healthy_workers").asInt() == 1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void theAuthGuestRejectsRequestsWithoutTheKey() {
        HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                ChatThroughGatewayE2ETest.chatBody("no key"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Http.json(response).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void headerChangesReachTheWorkerAndTheClient() {
        HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                ChatThroughGatewayE2ETest.chatBody("with key"), "x-api-key", CLIENT_KEY, "x-request-id", "wasm-e2e-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-wasm-response")).hasValue("seen");
        assertThat(Http.json(response).path("choices").isArray()).isTrue();
        assertThat(engine.stats().recentRequests()).anySatisfy(r -> {
            assertThat(r.header("x-request-id")).isEqualTo("wasm-e2e-1");
            assertThat(r.header("x-shepherd-wasm")).isEqualTo("injected");
        });
    }

    @Test
    void streamedAnswersPassThroughPerEventHooksWhole() {
        long before = Http.json(Http.get(gateway.baseUrl() + "/wasm/events", "Authorization", ADMIN))
                .at("/metrics/total_executions").asLong();

        HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                "{\"model\":\"sim-model\",\"stream\":true,\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}", "x-api-key", CLIENT_KEY);

        List<String> events = response.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(events).last().isEqualTo("data: [DONE]");
        assertThat(events.subList(0, events.size() - 1)).allSatisfy(e -> Http.JSON.readTree(e.substring(6)));
        long after = Http.json(Http.get(gateway.baseUrl() + "/wasm/events", "Authorization", ADMIN))
                .at("/metrics/total_executions").asLong();
        assertThat(after - before).as("one on_response call per event").isEqualTo(events.size());
    }

    @Test
    void modulesAreManagedAtRunTimeByAdminsOnly() throws Exception {
        assertThat(Http.get(gateway.baseUrl() + "/wasm").statusCode()).isEqualTo(401);

        JsonNode listed = Http.json(Http.get(gateway.baseUrl() + "/wasm", "Authorization", ADMIN));
        HttpResponse<String> uploaded = put("/wasm/tagger?hooks=on_request&failure_mode=fail_open", wasm("headers"));
        HttpResponse<String> attached = Http.post(gateway.baseUrl() + "/wasm/tagger/attach", "application/json",
                "{\"hook\":\"on_response\"}", "Authorization", ADMIN);
        JsonNode afterUpload = Http.json(Http.get(gateway.baseUrl() + "/wasm", "Authorization", ADMIN));
        HttpResponse<String> junk = put("/wasm/junk", "not wasm".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> deleted = Http.delete(gateway.baseUrl() + "/wasm/tagger", "Authorization", ADMIN);
        HttpResponse<String> gone = Http.get(gateway.baseUrl() + "/wasm/tagger", "Authorization", ADMIN);

        assertThat(listed.path("modules")).extracting(m -> m.path("name").asText())
                .containsExactly("headers", "auth", "events");
        assertThat(listed.at("/modules/0/sha256").asText()).hasSize(64);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        assertThat(attached.statusCode()).isEqualTo(200);
        assertThat(Http.json(attached).path("hooks").toString()).isEqualTo("[\"on_request\",\"on_response\"]");
        assertThat(afterUpload.path("modules")).extracting(m -> m.path("name").asText())
                .containsExactly("headers", "auth", "events", "tagger");
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(Http.json(junk).at("/error/code").asText()).isEqualTo("invalid_wasm_module");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(Http.json(gone).at("/error/code").asText()).isEqualTo("wasm_module_not_found");
    }

    private static HttpResponse<String> put(String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", ADMIN).header("Content-Type", "application/wasm")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static byte[] wasm(String fixture) {
        try {
            Path fixtures = Path.of(System.getProperty("shepherd.wasm.fixtures"));
            String lib = Files.readString(fixtures.resolve("lib.wat"));
            return Wat2Wasm.parse(Files.readString(fixtures.resolve(fixture + ".wat")).replace("(;LIB;)", lib));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
