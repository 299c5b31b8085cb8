package dev.shepherd.kernel.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.kernel.state.LocalStateStore;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.kernel.worker.WorkerReplication;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.api.LocalResponse;
import dev.shepherd.spi.mesh.MeshStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes whose state stores are one (as a converged mesh would make them): a worker added
 * or removed through one node's control plane appears on or leaves the other.
 */
class WorkerReplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final LocalStateStore sharedStore = new LocalStateStore();
    private final Node a = new Node();
    private final Node b = new Node();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void workersAddedAndRemovedOnOneNodeFollowOnTheOther() throws Exception {
        LocalResponse added = a.call("POST", "/workers", Map.of(), "{\"url\": \"http://engine:8000\", \"models\": [\"m\"]}");
        assertThat(added.status()).isEqualTo(202);
        assertThat(a.registry.findByUrl("http://engine:8000")).isPresent();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.registry.findByUrl("http://engine:8000").isPresent());
        assertThat(b.registry.findByUrl("http://engine:8000").orElseThrow().models()).containsExactly("m");
        assertThat(a.registry.registeredWorkers()).hasSize(1); // its own publication is not adopted twice

        String idOnB = b.registry.findByUrl("http://engine:8000").orElseThrow().id();
        assertThat(b.call("DELETE", "/workers/{id}", Map.of("id", idOnB), "").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.registry.findByUrl("http://engine:8000").isEmpty()
                && b.registry.findByUrl("http://engine:8000").isEmpty());
    }

    @Test
    void aNodeStartingLateAdoptsWhatTheStoreAlreadyHolds() {
        a.call("POST", "/workers", Map.of(), "{\"url\": \"http://engine:8000\", \"models\": [\"m\"]}");
        WorkerRegistry late = new WorkerRegistry(spec -> CompletableFuture.failedFuture(new IOException("no")), true);
        new WorkerReplication(late, sharedStore, Duration.ZERO, scheduler).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> late.findByUrl("http://engine:8000").isPresent());
    }

    @Test
    void healthReportsTheMeshViewWhenThereIsOne() throws Exception {
        ControlPlane withMesh = new ControlPlane(a.registry, () -> false, Duration.ZERO, null, null,
                () -> new MeshStatus("n1", List.of("n1", "n2"), List.of("n3"), true));
        LocalResponse health = Node.call(withMesh, "GET", "/health", Map.of(), "");
        assertThat(health.status()).isEqualTo(200);
        JsonNode mesh = JSON.readTree(health.body()).path("mesh");
        assertThat(mesh.path("node_id").asText()).isEqualTo("n1");
        assertThat(mesh.path("alive_members")).hasSize(2);
        assertThat(mesh.path("suspect_members").get(0).asText()).isEqualTo("n3");
        assertThat(mesh.path("partitioned").asBoolean()).isTrue();
        assertThat(new String(a.call("GET", "/health", Map.of(), "").body(), StandardCharsets.UTF_8)).isEqualTo("OK");
    }

    private final class Node {
        final WorkerRegistry registry = new WorkerRegistry(
                spec -> CompletableFuture.<List<String>>failedFuture(new IOException("unreachable")), true);
        final WorkerReplication replication = new WorkerReplication(registry, sharedStore, Duration.ZERO, scheduler).start();
        final ControlPlane controlPlane = new ControlPlane(registry, () -> false, Duration.ZERO, scheduler, replication, null);

        LocalResponse call(String method, String path, Map<String, String> params, String body) {
            return call(controlPlane, method, path, params, body);
        }

        static LocalResponse call(ControlPlane plane, String method, String path, Map<String, String> params, String body) {
            Endpoint.Local endpoint = plane.endpoints().stream()
                    .filter(e -> e.method().equals(method) && e.path().equals(path))
                    .map(Endpoint.Local.class::cast).findFirst().orElseThrow();
            return endpoint.handler().handle(new IncomingRequest("req", method, path, "", params, Headers.EMPTY,
                    body.getBytes(StandardCharsets.UTF_8))).toCompletableFuture().join();
        }
    }

}
