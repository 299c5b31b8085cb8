package dev.shepherd.plugin.mesh.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.spi.mesh.Mesh;
import dev.shepherd.testkit.fakes.TestPluginContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS on real loopback gRPC: nodes join only when each side trusts the other's certificate. */
class GossipTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    @Test
    void onlyNodesWithTrustedCertificatesJoinAndPlaintextPeersAreShutOut() throws Exception {
        Path node = keyPair("node");
        Path trust = dir.resolve("trust.p12");
        trustOnly(node, "node", trust);
        Path rogue = keyPair("rogue");
        Path rogueTrust = dir.resolve("rogue-trust.p12");
        trustOnly(node, "node", rogueTrust); // the rogue trusts the cluster, the cluster does not trust it

        GossipMeshFactory factory = new GossipMeshFactory();
        assertThat(factory.sensitiveKeys()).contains("tls_keystore_password", "tls_truststore_password");
        List<Mesh> meshes = new ArrayList<>();
        try (TestPluginContext context = new TestPluginContext()) {
            GossipMesh a = (GossipMesh) factory.create(config("a", List.of(), node, trust), context);
            meshes.add(a);
            GossipMesh b = (GossipMesh) factory.create(config("b", List.of(a.address()), node, trust), context);
            meshes.add(b);
            await().atMost(Duration.ofSeconds(20)).until(() -> a.aliveMembers().equals(Set.of("a", "b"))
                    && b.aliveMembers().equals(Set.of("a", "b")));
            b.stateStore().put("ns", "k", new byte[] {1});
            await().atMost(Duration.ofSeconds(20)).until(() -> a.stateStore().get("ns", "k").isPresent());

            GossipMesh intruder = (GossipMesh) factory.create(config("r", List.of(a.address()), rogue, rogueTrust), context);
            meshes.add(intruder);
            GossipMesh plain = (GossipMesh) factory.create(config("p", List.of(a.address()), null, null), context);
            meshes.add(plain);
            // Several join attempts and probe rounds: neither gets in, and the cluster never hears of them.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                    a.aliveMembers().equals(Set.of("a", "b")) && intruder.aliveMembers().equals(Set.of("r"))
                            && plain.aliveMembers().equals(Set.of("p")));
        } finally {
            meshes.forEach(Mesh::close);
        }
    }

    private MeshGossipConfig config(String name, List<String> seeds, Path keystore, Path truststore) {
        return new MeshGossipConfig(name, "127.0.0.1", null, 0, seeds, 200L, 100L, null, 1000L, null, 500L,
                null, null, null, null, 300L, null, null, null,
                keystore == null ? null : keystore.toString(), PASSWORD,
                truststore == null ? null : truststore.toString(), PASSWORD, null);
    }

    /** A self-signed EC key pair for 127.0.0.1, in its own PKCS#12 store. */
    private Path keyPair(String alias) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        return store;
    }

    private void trustOnly(Path keystore, String alias, Path truststore) throws Exception {
        Path cert = dir.resolve(alias + "-" + truststore.getFileName() + ".cer");
        keytool("-exportcert", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASSWORD);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
