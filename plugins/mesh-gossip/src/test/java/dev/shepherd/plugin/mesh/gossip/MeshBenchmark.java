package dev.shepherd.plugin.mesh.gossip;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the mesh rather than testing it (run with {@code -Dmesh.bench=true}): convergence time of
 * a write, gossip bytes per node per second idle and under writes, for 3 to 33 in-process nodes at
 * the default timings; and failure-detection time against the configured timeouts. The figures go
 * into docs/mesh.md.
 */
@EnabledIfSystemProperty(named = "mesh.bench", matches = "true")
class MeshBenchmark {

    private static final Duration LONG = Duration.ofSeconds(120);

    @Test
    void convergenceAndBandwidthBySize() {
        System.out.println("| nodes | join (s) | write converges, median / max of 10 (ms) | idle B/node/s | 10 writes/s B/node/s |");
        for (int n : new int[] {3, 9, 17, 33}) {
            // Production defaults: probe 1 s, probe timeout 400 ms, suspicion 3 s, anti-entropy 2 s.
            try (TestCluster cluster = new TestCluster(n, 1000, 400, 3000, 2000)) {
                long t0 = System.nanoTime();
                cluster.start(n);
                Set<String> all = cluster.ids(cluster.nodes);
                await().atMost(LONG).pollInterval(Duration.ofMillis(20))
                        .until(() -> TestCluster.allSeeExactly(cluster.nodes, all));
                double joinS = (System.nanoTime() - t0) / 1e9;

                List<Long> latencies = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String key = "k" + i;
                    long start = System.nanoTime();
                    cluster.node(i % n).stateStore().put("bench", key, new byte[16]);
                    await().atMost(LONG).pollInterval(Duration.ofMillis(5)).until(() -> cluster.nodes.stream()
                            .allMatch(m -> m.stateStore().get("bench", key).isPresent()));
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                }
                Collections.sort(latencies);

                long idleBefore = cluster.totalBytes();
                long idleStart = System.nanoTime();
                await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                double idle = (cluster.totalBytes() - idleBefore) / ((System.nanoTime() - idleStart) / 1e9) / n;

                long loadBefore = cluster.totalBytes();
                long loadStart = System.nanoTime();
                int[] written = {0};
                await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(11)).until(() -> {
                    cluster.node(written[0] % n).stateStore().put("load", "k" + (written[0] % 50), new byte[64]);
                    written[0]++;
                    return System.nanoTime() - loadStart >= 10_000_000_000L;
                });
                double loaded = (cluster.totalBytes() - loadBefore) / ((System.nanoTime() - loadStart) / 1e9) / n;
                System.out.printf("| %d | %.1f | %d / %d | %.0f | %.0f |%n", n, joinS, latencies.get(latencies.size() / 2),
                        latencies.get(latencies.size() - 1), idle, loaded);
            }
        }
    }

    @Test
    void detectionTimeAgainstTimeouts() {
        System.out.println("| probe interval (ms) | suspicion timeout (ms) | crash detected by all 4 survivors, median / max of 3 (ms) |");
        long[][] settings = {{200, 80, 1000}, {500, 200, 2000}, {1000, 400, 3000}};
        for (long[] s : settings) {
            List<Long> times = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                try (TestCluster cluster = new TestCluster(run, s[0], s[1], s[2], 2000)) {
                    cluster.start(5);
                    Set<String> all = cluster.ids(cluster.nodes);
                    await().atMost(LONG).until(() -> TestCluster.allSeeExactly(cluster.nodes, all));
                    GossipMesh victim = cluster.node(run + 1);
                    List<GossipMesh> survivors = new ArrayList<>(cluster.nodes);
                    survivors.remove(victim);
                    long start = System.nanoTime();
                    victim.crash();
                    await().atMost(LONG).pollInterval(Duration.ofMillis(10)).until(() -> survivors.stream()
                            .allMatch(m -> TestCluster.believesDeadOrGone(m, victim.nodeId())));
                    times.add((System.nanoTime() - start) / 1_000_000);
                }
            }
            Collections.sort(times);
            System.out.printf("| %d | %d | %d / %d |%n", s[0], s[2], times.get(1), times.get(2));
        }
    }
}
