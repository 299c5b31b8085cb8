package dev.shepherd.plugin.mesh.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole clusters on gRPC's in-process transport, with injected loss and partitions. */
class GossipClusterTest {

    private static final Duration CONVERGE = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5, 9})
    void everyNodeJoinsThroughAnySeedAndWritesReachEveryone(int size) {
        try (TestCluster cluster = new TestCluster(size).start(size)) {
            Set<String> all = cluster.ids(cluster.nodes);
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(cluster.nodes, all));

            for (int i = 0; i < size; i++) {
                cluster.node(i).stateStore().put("ns", "from-" + i, bytes("v" + i));
                cluster.node(i).stateStore().addToCounter("rl", "tenant", i + 1);
            }
            cluster.node(0).stateStore().remove("ns", "from-0");
            long expected = (long) size * (size + 1) / 2;
            await().atMost(CONVERGE).untilAsserted(() -> {
                for (GossipMesh node : cluster.nodes) {
                    assertThat(node.stateStore().entries("ns")).hasSize(size - 1).doesNotContainKey("from-0");
                    assertThat(node.stateStore().counter("rl", "tenant")).isEqualTo(expected);
                    assertThat(node.status().partitioned()).isFalse();
                }
            });
        }
    }

    @Test
    void aCrashedNodeIsSuspectedThenDeclaredDeadByEveryoneElse() {
        try (TestCluster cluster = new TestCluster(42).start(5)) {
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(cluster.nodes, cluster.ids(cluster.nodes)));
            GossipMesh victim = cluster.node(2);
            List<GossipMesh> survivors = new ArrayList<>(cluster.nodes);
            survivors.remove(victim);

            long crashedAt = System.nanoTime();
            victim.crash();
            await().atMost(CONVERGE).until(() -> survivors.stream()
                    .allMatch(s -> TestCluster.believesDeadOrGone(s, victim.nodeId())));
            long detectedMs = (System.nanoTime() - crashedAt) / 1_000_000;
            System.out.printf("detection of a crash by all 4 survivors: %d ms (probe %d ms, suspicion %d ms)%n",
                    detectedMs, TestCluster.PROBE_INTERVAL_MS, TestCluster.SUSPICION_TIMEOUT_MS);
            // Four of five still form a quorum.
            assertThat(survivors).allMatch(s -> !s.status().partitioned());
        }
    }

    @Test
    void packetLossCausesSuspicionsThatAreRefutedNotFalseDeaths() {
        // A longer suspicion timeout than the other tests: a build machine's CPU stalls must not be
        // mistaken for the protocol's false positives, which this test is about.
        try (TestCluster cluster = new TestCluster(7, TestCluster.PROBE_INTERVAL_MS, TestCluster.PROBE_TIMEOUT_MS,
                1500, 300).start(9)) {
            Set<String> all = cluster.ids(cluster.nodes);
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(cluster.nodes, all));
            cluster.network.lossRate(0.10);
            long probesBefore = cluster.nodes.stream().mapToLong(GossipMesh::suspicionsRaised).sum();
            // Hold for ~30 probe rounds: no live node may ever be declared dead.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> cluster.nodes.stream().allMatch(n -> n.aliveMembers().size()
                            + n.status().suspectMembers().size() == all.size()));
            long suspicions = cluster.nodes.stream().mapToLong(GossipMesh::suspicionsRaised).sum() - probesBefore;
            long deaths = cluster.nodes.stream().mapToLong(GossipMesh::deathsDeclared).sum();
            System.out.printf("10%% loss, 9 nodes, ~270 probes: %d suspicions raised (all refuted), %d false deaths, "
                    + "%d messages dropped%n", suspicions, deaths, cluster.network.dropped.get());
            assertThat(deaths).isZero();
            cluster.network.lossRate(0);
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(cluster.nodes, all));
        }
    }

    @Test
    void aPartitionIsDetectedByTheMinorityAndConflictingWritesConvergeAfterHealing() {
        try (TestCluster cluster = new TestCluster(11).start(5)) {
            Set<String> all = cluster.ids(cluster.nodes);
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(cluster.nodes, all));
            List<GossipMesh> majority = cluster.nodes.subList(0, 3);
            List<GossipMesh> minority = cluster.nodes.subList(3, 5);
            cluster.network.partition(List.of(majority.stream().map(GossipMesh::address).toList(),
                    minority.stream().map(GossipMesh::address).toList()));

            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(majority, cluster.ids(majority))
                    && TestCluster.allSeeExactly(minority, cluster.ids(minority)));
            assertThat(minority).allMatch(n -> n.status().partitioned());
            assertThat(majority).noneMatch(n -> n.status().partitioned());

            // Both sides write the same keys; the minority writes last so it must win everywhere.
            majority.get(0).stateStore().put("ns", "shared", bytes("majority"));
            majority.get(1).stateStore().put("ns", "deleted-by-minority", bytes("x"));
            majority.get(2).stateStore().addToCounter("rl", "c", 10);
            minority.get(0).stateStore().addToCounter("rl", "c", -3);
            await().atMost(CONVERGE).until(() -> majority.stream().allMatch(n -> n.stateStore().counter("rl", "c") == 10));
            minority.get(1).stateStore().put("ns", "deleted-by-minority", bytes("y"));
            minority.get(1).stateStore().remove("ns", "deleted-by-minority");
            minority.get(0).stateStore().put("ns", "shared", bytes("minority"));

            cluster.network.heal();
            await().atMost(CONVERGE).untilAsserted(() -> {
                assertThat(TestCluster.allSeeExactly(cluster.nodes, all)).isTrue();
                for (GossipMesh node : cluster.nodes) {
                    assertThat(node.stateStore().get("ns", "shared")).hasValueSatisfying(
                            v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("minority"));
                    assertThat(node.stateStore().get("ns", "deleted-by-minority")).isEmpty();
                    assertThat(node.stateStore().counter("rl", "c")).isEqualTo(7);
                    assertThat(node.status().partitioned()).isFalse();
                }
            });
        }
    }

    @Test
    void aGracefulLeaveIsSeenAtOnceAndDoesNotCountAgainstTheQuorum() {
        try (TestCluster cluster = new TestCluster(3).start(3)) {
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(cluster.nodes, cluster.ids(cluster.nodes)));
            GossipMesh leaver = cluster.node(1);
            leaver.close();
            List<GossipMesh> rest = List.of(cluster.node(0), cluster.node(2));
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(rest, cluster.ids(rest)));
            assertThat(rest).allMatch(n -> !n.status().partitioned());
            assertThat(rest).allMatch(n -> n.deathsDeclared() == 0);
        }
    }

    @Test
    void consistentHashingAgreesOnOneOwnerPerKeyAcrossNodes() {
        try (TestCluster cluster = new TestCluster(5).start(5)) {
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(cluster.nodes, cluster.ids(cluster.nodes)));
            for (int k = 0; k < 50; k++) {
                String key = "worker-" + k;
                long owners = cluster.nodes.stream().filter(n -> n.owns(key)).count();
                assertThat(owners).isEqualTo(1);
            }
        }
    }

    @Test
    void aLateJoinerPullsALargeStateInPagesAndAHealedNodeCatchesUpWithEverythingItMissed() {
        try (TestCluster cluster = new TestCluster(13).start(3)) {
            await().atMost(CONVERGE).until(() -> TestCluster.allSeeExactly(cluster.nodes, cluster.ids(cluster.nodes)));
            // Far more than the piggyback buffers carry: only the paged anti-entropy (100 per page) can deliver it.
            for (int i = 0; i < 3000; i++) {
                cluster.node(i % 3).stateStore().put("bulk", "k" + i, new byte[32]);
            }
            GossipMesh joiner = cluster.add(List.of(cluster.node(1).address()));
            await().atMost(CONVERGE).until(() -> cluster.nodes.stream()
                    .allMatch(n -> n.stateStore().entries("bulk").size() == 3000));
            assertThat(joiner.crdtStore().state().digests()).isEqualTo(cluster.node(0).crdtStore().state().digests());
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
