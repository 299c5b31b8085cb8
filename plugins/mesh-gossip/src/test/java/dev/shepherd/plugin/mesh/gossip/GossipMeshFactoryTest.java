package dev.shepherd.plugin.mesh.gossip;

import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shepherd.plugin.mesh.gossip.transport.GrpcGossipTransport;
import dev.shepherd.spi.mesh.Mesh;
import dev.shepherd.testkit.fakes.TestPluginContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

class GossipMeshFactoryTest {

    private final GossipMeshFactory factory = new GossipMeshFactory();

    @Test
    void isAnExtensionNamedGossipBindingItsSection() throws Exception {
        assertThat(factory.getClass()).hasAnnotation(Extension.class);
        assertThat(factory.name()).isEqualTo("gossip");
        MeshGossipConfig defaults = bind("{}", MeshGossipConfig.class);
        assertThat(defaults.port()).isEqualTo(39527);
        assertThat(defaults.host()).isEqualTo("0.0.0.0");
        assertThat(defaults.advertiseHost()).isEqualTo("127.0.0.1");
        assertThat(defaults.seeds()).isEmpty();
        MeshGossipConfig custom = bind("""
                {"node_name": "a", "seeds": ["http://10.0.0.2:39527/", "10.0.0.3:4000"], "probe_interval_ms": 500,
                 "probe_timeout_ms": 200, "suspicion_timeout_ms": 2000}""", MeshGossipConfig.class);
        assertThat(custom.seeds()).containsExactly("10.0.0.2:39527", "10.0.0.3:4000");
        assertThat(custom.probeIntervalMs()).isEqualTo(500);
        assertThatThrownBy(() -> bind("{\"probe_timeout_ms\": 2000}", MeshGossipConfig.class))
                .hasMessageContaining("probe_timeout_ms");
        assertThatThrownBy(() -> bind("{\"seeds\": [\"nohost\"]}", MeshGossipConfig.class))
                .hasMessageContaining("host:port");
    }

    @Test
    void threeNodesOverRealGrpcOnLoopbackJoinAndReplicate() throws Exception {
        List<Mesh> meshes = new ArrayList<>();
        try (TestPluginContext context = new TestPluginContext()) {
            GossipMesh first = (GossipMesh) factory.create(config("a", List.of()), context);
            meshes.add(first);
            meshes.add(factory.create(config("b", List.of(first.address())), context));
            meshes.add(factory.create(config("c", List.of(first.address())), context));
            await().atMost(Duration.ofSeconds(20)).until(() -> meshes.stream()
                    .allMatch(m -> Set.copyOf(m.status().aliveMembers()).equals(Set.of("a", "b", "c"))));
            meshes.get(2).stateStore().put("workers", "w1", new byte[] {42});
            await().atMost(Duration.ofSeconds(20)).until(() -> meshes.stream()
                    .allMatch(m -> m.stateStore().get("workers", "w1").isPresent()));
            assertThat(first.address()).startsWith("127.0.0.1:");
            assertThat(context.meterRegistry().find("smg_mesh_members").tag("state", "alive").gauge().value())
                    .isGreaterThan(0);
            assertThat(context.meterRegistry().find("smg_mesh_gossip_bytes_sent_total").functionCounter().count())
                    .isGreaterThan(0);
        } finally {
            meshes.forEach(Mesh::close);
        }
    }

    @Test
    void aCrashedNodeRestartedAtTheSameAddressIsAliveAgainEverywhere() throws Exception {
        // Real clocks here (the test context's is frozen): suspicion must time out, incarnations must grow.
        List<Mesh> meshes = new ArrayList<>();
        try {
            GossipMesh a = tcpNode(config("a", List.of()), meshes);
            GossipMesh b = tcpNode(config("b", List.of(a.address())), meshes);
            GossipMesh c = tcpNode(config("c", List.of(a.address())), meshes);
            await().atMost(Duration.ofSeconds(20)).until(() -> a.aliveMembers().size() == 3 && c.aliveMembers().size() == 3);
            int bPort = Integer.parseInt(b.address().substring(b.address().lastIndexOf(':') + 1));
            b.crash();
            await().atMost(Duration.ofSeconds(20)).until(() -> TestCluster.believesDeadOrGone(a, "b")
                    && TestCluster.believesDeadOrGone(c, "b"));

            // The restarted node joins through c; a's channel to b's address failed while b was down.
            GossipMesh reborn = tcpNode(new MeshGossipConfig("b", "127.0.0.1", null, bPort, List.of(c.address()),
                    200L, 100L, null, 1000L, null, 500L, null, null, null, null, 300L, null, null, null, null, null,
                    null, null, null), meshes);
            await().atMost(Duration.ofSeconds(20)).until(() -> List.of(a, c, reborn).stream()
                    .allMatch(m -> m.aliveMembers().equals(Set.of("a", "b", "c"))));
        } finally {
            meshes.forEach(Mesh::close);
        }
    }

    private static GossipMesh tcpNode(MeshGossipConfig config, List<Mesh> meshes) throws java.io.IOException {
        GossipMesh mesh = new GossipMesh(config, GrpcGossipTransport.tcp(config.host(), config.port()),
                System::currentTimeMillis, new java.util.Random());
        meshes.add(mesh);
        return mesh;
    }

    private static MeshGossipConfig config(String name, List<String> seeds) {
        return new MeshGossipConfig(name, "127.0.0.1", null, 0, seeds, 200L, 100L, null, 1000L, null, 500L,
                null, null, null, null, 300L, null, null, null, null, null, null, null, null);
    }
}
