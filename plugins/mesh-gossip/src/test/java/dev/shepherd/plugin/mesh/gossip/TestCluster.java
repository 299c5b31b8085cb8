package dev.shepherd.plugin.mesh.gossip;

import dev.shepherd.plugin.mesh.gossip.swim.Member;
import dev.shepherd.plugin.mesh.gossip.swim.MemberState;
import dev.shepherd.plugin.mesh.gossip.transport.GrpcGossipTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A cluster of gossip nodes inside this JVM on gRPC's in-process transport, behind a
 * {@link FaultyNetwork}. Timings are ten times faster than the defaults so tests run in seconds.
 */
final class TestCluster implements AutoCloseable {

    static final long PROBE_INTERVAL_MS = 100;
    static final long PROBE_TIMEOUT_MS = 40;
    static final long SUSPICION_TIMEOUT_MS = 600;

    final FaultyNetwork network = new FaultyNetwork();
    final List<GossipMesh> nodes = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Random random;
    private final long probeIntervalMs;
    private final long probeTimeoutMs;
    private final long suspicionTimeoutMs;
    private final long antiEntropyMs;

    TestCluster(long seed) {
        this(seed, PROBE_INTERVAL_MS, PROBE_TIMEOUT_MS, SUSPICION_TIMEOUT_MS, 300);
    }

    TestCluster(long seed, long probeIntervalMs, long probeTimeoutMs, long suspicionTimeoutMs, long antiEntropyMs) {
        this.random = new Random(seed);
        this.probeIntervalMs = probeIntervalMs;
        this.probeTimeoutMs = probeTimeoutMs;
        this.suspicionTimeoutMs = suspicionTimeoutMs;
        this.antiEntropyMs = antiEntropyMs;
    }

    /** Starts {@code n} nodes; each but the first joins through one random node started before it. */
    TestCluster start(int n) {
        for (int i = 0; i < n; i++) {
            List<String> seeds = nodes.isEmpty() ? List.of() : List.of(nodes.get(random.nextInt(nodes.size())).address());
            add(seeds);
        }
        return this;
    }

    GossipMesh add(List<String> seeds) {
        int index = nodes.size();
        String address = run + "-n" + index + ":1";
        MeshGossipConfig config = new MeshGossipConfig("n" + index, null, null, 0, seeds, probeIntervalMs,
                probeTimeoutMs, 3, suspicionTimeoutMs, 60_000L, antiEntropyMs, 100, 4, 32, null, 300L, null, null, null, null, null, null, null, null);
        try {
            GossipMesh node = new GossipMesh(config,
                    network.wrap(GrpcGossipTransport.inProcess(address), address), System::currentTimeMillis,
                    new Random(random.nextLong()));
            nodes.add(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GossipMesh node(int i) {
        return nodes.get(i);
    }

    Set<String> ids(List<GossipMesh> meshes) {
        return meshes.stream().map(GossipMesh::nodeId).collect(Collectors.toSet());
    }

    /** Every given node sees exactly the given nodes alive and nobody suspect. */
    static boolean allSeeExactly(List<GossipMesh> observers, Set<String> alive) {
        return observers.stream().allMatch(o -> o.aliveMembers().equals(alive) && o.status().suspectMembers().isEmpty());
    }

    static boolean believesDeadOrGone(GossipMesh observer, String id) {
        return observer.members().stream().filter(m -> m.id().equals(id)).map(Member::state)
                .allMatch(s -> s == MemberState.DEAD || s == MemberState.LEFT);
    }

    long totalBytes() {
        return nodes.stream().mapToLong(GossipMesh::bytesSent).sum();
    }

    @Override
    public void close() {
        nodes.forEach(GossipMesh::crash);
    }
}
