package dev.shepherd.e2e;

import static dev.shepherd.e2e.MeshCluster.CONVERGE;
import static dev.shepherd.e2e.MeshCluster.alive;
import static dev.shepherd.e2e.MeshCluster.healthyWorkers;
import static dev.shepherd.e2e.MeshCluster.mesh;
import static dev.shepherd.e2e.MeshCluster.onlyWorker;
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
 * Issue 7: "killing node B is detected and its owned duties move". One node health-probes a
 * replicated worker for the whole mesh. Here that owner is killed outright; the survivors must
 * detect it, hand the probing to one of them, and still notice when the worker fails.
 */
class MeshProbeOwnerFailoverE2ETest {

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
    void whenTheProbeOwnerIsKilledASurvivorTakesOverAndSeesTheWorkerFail() {
        engine = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        // No simulated discovery: the only worker is the one added through the control plane.
        cluster = MeshCluster.start("routing: {policy: round_robin}\nhealth: {check_interval_secs: 1}\n");

        HttpResponse<String> added = Http.post(cluster.a.baseUrl() + "/workers", "application/json",
                "{\"url\": \"" + engine.url() + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        await().atMost(CONVERGE).until(() -> cluster.nodes().stream().allMatch(g -> healthyWorkers(g) == 1));

        // Every node names the same owner: rendezvous hashing over the same live members.
        String owner = onlyWorker(cluster.a).path("probe_owner").asText();
        assertThat(owner).isIn("a", "b", "c");
        for (GatewayProcess node : cluster.nodes()) {
            assertThat(onlyWorker(node).path("probe_owner").asText()).isEqualTo(owner);
        }
        List<String> survivorIds = List.of("a", "b", "c").stream().filter(id -> !id.equals(owner)).toList();
        List<GatewayProcess> survivors = survivorIds.stream().map(cluster::node).toList();

        cluster.node(owner).kill();
        await().atMost(CONVERGE).until(() -> survivors.stream().allMatch(g -> alive(g).equals(survivorIds)
                && mesh(g).path("suspect_members").isEmpty()));

        // The duty moved: both survivors name the same live owner.
        await().atMost(CONVERGE).until(() -> survivors.stream()
                .map(g -> onlyWorker(g).path("probe_owner").asText()).distinct().toList().size() == 1);
        String newOwner = onlyWorker(survivors.get(0)).path("probe_owner").asText();
        assertThat(newOwner).isIn(survivorIds);

        // Only the new owner probes; the other survivor learns the failure through the mesh. Bounded
        // by the failure threshold (3 probes, 1 s apart) plus gossip, well within CONVERGE.
        engine.faults().unhealthy(true);
        await().atMost(CONVERGE).until(() -> survivors.stream().allMatch(g -> healthyWorkers(g) == 0));
        for (GatewayProcess node : survivors) {
            assertThat(onlyWorker(node).path("is_healthy").asBoolean()).isFalse();
            assertThat(onlyWorker(node).path("probe_owner").asText()).isEqualTo(newOwner);
        }
    }
}
