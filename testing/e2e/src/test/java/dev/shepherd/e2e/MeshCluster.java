package dev.shepherd.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Three gateway processes a, b and c in a gossip mesh on loopback, b and c joining through a. Each
 * node is started from the same manifest; closing the cluster stops every process still running.
 */
final class MeshCluster implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(60);
    /** Generous for a shared machine: detection alone takes a probe round plus the 3 s suspicion. */
    static final Duration CONVERGE = Duration.ofSeconds(40);

    final GatewayProcess a;
    final GatewayProcess b;
    final GatewayProcess c;
    private final Path manifest;
    private final List<GatewayProcess> started = new ArrayList<>();

    private MeshCluster(Path manifest) {
        this.manifest = manifest;
        int seedPort = GatewayProcess.freePort();
        String seed = "127.0.0.1:" + seedPort;
        a = launch("a", seedPort, "--enable-mesh");
        b = launch("b", GatewayProcess.freePort(), "--mesh-peer-urls", seed);
        c = launch("c", GatewayProcess.freePort(), "--seeds", seed);
    }

    /** Starts the three nodes from {@code manifestYaml} and waits until each sees all three alive. */
    static MeshCluster start(String manifestYaml) {
        Path manifest;
        try {
            manifest = Files.createTempFile("smg-mesh-", ".yaml");
            Files.writeString(manifest, manifestYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MeshCluster cluster = new MeshCluster(manifest);
        try {
            await().atMost(CONVERGE).until(() -> cluster.nodes().stream()
                    .allMatch(g -> alive(g).equals(List.of("a", "b", "c"))));
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    List<GatewayProcess> nodes() {
        return List.of(a, b, c);
    }

    /** The node a mesh node id names. */
    GatewayProcess node(String id) {
        return switch (id) {
            case "a" -> a;
            case "b" -> b;
            case "c" -> c;
            default -> throw new IllegalArgumentException("no node " + id);
        };
    }

    private GatewayProcess launch(String name, int meshPort, String... meshArgs) {
        List<String> args = new ArrayList<>(List.of("--config", manifest.toString(), "--mesh-server-name", name,
                "--mesh-host", "127.0.0.1", "--mesh-port", Integer.toString(meshPort)));
        args.addAll(List.of(meshArgs));
        GatewayProcess gateway = GatewayProcess.launch(START, args.toArray(String[]::new));
        started.add(gateway);
        return gateway;
    }

    static JsonNode mesh(GatewayProcess gateway) {
        return Http.json(Http.get(gateway.baseUrl() + "/health")).path("mesh");
    }

    static List<String> alive(GatewayProcess gateway) {
        return StreamSupport.stream(mesh(gateway).path("alive_members").spliterator(), false)
                .map(JsonNode::asText).sorted().toList();
    }

    static int healthyWorkers(GatewayProcess gateway) {
        return Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("healthy_workers").asInt();
    }

    /** The first worker {@code GET /workers} lists on a node (the tests add just one). */
    static JsonNode onlyWorker(GatewayProcess gateway) {
        return Http.json(Http.get(gateway.baseUrl() + "/workers")).path("workers").path(0);
    }

    @Override
    public void close() {
        started.forEach(GatewayProcess::close);
        try {
            Files.deleteIfExists(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
