package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes in a gossip mesh on loopback: a worker added through one node's control
 * plane serves traffic through another, and a node killed outright is detected by the rest.
 */
class MeshE2ETest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration CONVERGE = Duration.ofSeconds(40);

    private SimEngine engine;
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private Path manifest;

    @BeforeEach
    void writeManifest() throws IOException {
        // No simulated discovery: the only worker is the one added through the control plane.
        manifest = Files.createTempFile("smg-mesh-", ".yaml");
        Files.writeString(manifest, "routing: {policy: round_robin}\nhealth: {check_interval_secs: 1}\n");
    }

    @AfterEach
    void stop() throws IOException {
        if (manifest != null) {
            Files.deleteIfExists(manifest);
        }
        gateways.forEach(GatewayProcess::close);
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aWorkerAddedOnOneNodeServesThroughAnotherAndAKilledNodeIsDetected() {
        engine = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        int seedPort = GatewayProcess.freePort();
        String seed = "127.0.0.1:" + seedPort;
        GatewayProcess a = launch("a", seedPort, "--enable-mesh");
        GatewayProcess b = launch("b", GatewayProcess.freePort(), "--mesh-peer-urls", seed);
        GatewayProcess c = launch("c", GatewayProcess.freePort(), "--seeds", seed);

        await().atMost(CONVERGE).until(() -> List.of(a, b, c).stream()
                .allMatch(g -> alive(g).equals(List.of("a", "b", "c"))));

        HttpResponse<String> added = Http.post(a.baseUrl() + "/workers", "application/json",
                "{\"url\": \"" + engine.url() + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        await().atMost(CONVERGE).until(() -> healthyWorkers(c) == 1);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> chat = Http.post(c.baseUrl() + "/v1/chat/completions", "application/json",
                    ChatThroughGatewayE2ETest.chatBody("through the mesh"));
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        }
        assertThat(engine.stats().inferenceRequests()).isGreaterThanOrEqualTo(3);

        b.kill();
        await().atMost(CONVERGE).until(() -> alive(a).equals(List.of("a", "c")) && alive(c).equals(List.of("a", "c"))
                && mesh(a).path("suspect_members").isEmpty() && mesh(c).path("suspect_members").isEmpty());
        // Two of three still form a quorum.
        assertThat(mesh(a).path("partitioned").asBoolean()).isFalse();

        String idOnC = Http.json(Http.get(c.baseUrl() + "/workers")).path("workers").get(0).path("id").asText();
        assertThat(Http.delete(c.baseUrl() + "/workers/" + idOnC).statusCode()).isEqualTo(202);
        await().atMost(CONVERGE).until(() -> Http.json(Http.get(a.baseUrl() + "/workers")).path("total").asInt() == 0);
    }

    private GatewayProcess launch(String name, int meshPort, String... meshArgs) {
        List<String> args = new ArrayList<>(List.of("--config", manifest.toString(), "--mesh-server-name", name,
                "--mesh-host", "127.0.0.1", "--mesh-port", Integer.toString(meshPort)));
        args.addAll(List.of(meshArgs));
        GatewayProcess gateway = GatewayProcess.launch(START, args.toArray(String[]::new));
        gateways.add(gateway);
        return gateway;
    }

    private static JsonNode mesh(GatewayProcess gateway) {
        return Http.json(Http.get(gateway.baseUrl() + "/health")).path("mesh");
    }

    private static List<String> alive(GatewayProcess gateway) {
        return StreamSupport.stream(mesh(gateway).path("alive_members").spliterator(), false)
                .map(JsonNode::asText).sorted().toList();
    }

    private static int healthyWorkers(GatewayProcess gateway) {
        return Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("healthy_workers").asInt();
    }
}
