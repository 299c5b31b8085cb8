package dev.shepherd.e2e;

import static dev.shepherd.e2e.MeshCluster.CONVERGE;
import static dev.shepherd.e2e.MeshCluster.alive;
import static dev.shepherd.e2e.MeshCluster.healthyWorkers;
import static dev.shepherd.e2e.MeshCluster.mesh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes in a gossip mesh on loopback: a worker added through one node's control
 * plane serves traffic through another, and a node killed outright is detected by the rest.
 */
class MeshE2ETest {

    private SimEngine engine;
    private MeshCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aWorkerAddedOnOneNodeServesThroughAnotherAndAKilledNodeIsDetected() {
        engine = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        // No simulated discovery: the only worker is the one added through the control plane.
        cluster = MeshCluster.start("routing: {policy: round_robin}\nhealth: {check_interval_secs: 1}\n");
        GatewayProcess a = cluster.a;
        GatewayProcess c = cluster.c;

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

        cluster.b.kill();
        await().atMost(CONVERGE).until(() -> alive(a).equals(List.of("a", "c")) && alive(c).equals(List.of("a", "c"))
                && mesh(a).path("suspect_members").isEmpty() && mesh(c).path("suspect_members").isEmpty());
        // Two of three still form a quorum.
        assertThat(mesh(a).path("partitioned").asBoolean()).isFalse();

        String idOnC = Http.json(Http.get(c.baseUrl() + "/workers")).path("workers").get(0).path("id").asText();
        assertThat(Http.delete(c.baseUrl() + "/workers/" + idOnC).statusCode()).isEqualTo(202);
        await().atMost(CONVERGE).until(() -> Http.json(Http.get(a.baseUrl() + "/workers")).path("total").asInt() == 0);
    }
}
