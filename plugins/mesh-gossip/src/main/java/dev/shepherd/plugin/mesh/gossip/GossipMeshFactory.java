package dev.shepherd.plugin.mesh.gossip;

import dev.shepherd.plugin.mesh.gossip.transport.GossipTls;
import dev.shepherd.plugin.mesh.gossip.transport.GrpcGossipTransport;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.mesh.Mesh;
import dev.shepherd.spi.mesh.MeshFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import java.util.Random;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@link GossipMesh}: {@code mesh: {type: gossip, ...}} with {@link MeshGossipConfig}. The
 * node binds its gRPC listener here, so a port in use fails start-up rather than a later request.
 */
@Extension
public final class GossipMeshFactory implements MeshFactory<MeshGossipConfig> {

    private static final Logger LOG = LoggerFactory.getLogger(GossipMeshFactory.class);

    @Override
    public String name() {
        return "gossip";
    }

    @Override
    public Class<MeshGossipConfig> configType() {
        return MeshGossipConfig.class;
    }

    @Override
    public Set<String> sensitiveKeys() {
        return Set.of("tls_keystore_password", "tls_truststore_password");
    }

    @Override
    public Mesh create(MeshGossipConfig config, PluginContext context) {
        GossipMesh mesh;
        try {
            GossipTls tls = config.tls() ? new GossipTls(Path.of(config.tlsKeystore()), config.tlsKeystorePassword(),
                    Path.of(config.tlsTruststore()), config.tlsTruststorePassword()) : null;
            mesh = new GossipMesh(config, GrpcGossipTransport.tcp(config.host(), config.port(), tls),
                    () -> context.clock().millis(), new Random(new SecureRandom().nextLong()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for mesh gossip on " + config.host() + ":" + config.port(), e);
        }
        if (config.advertiseHost().startsWith("127.") && !config.seeds().stream().allMatch(s -> s.startsWith("127."))) {
            LOG.warn("mesh node {} advertises {}, which peers on other hosts cannot reach; set --mesh-advertise-host",
                    mesh.nodeId(), mesh.address());
        }
        registerMetrics(mesh, context.meterRegistry());
        return mesh;
    }

    private static void registerMetrics(GossipMesh mesh, MeterRegistry registry) {
        Gauge.builder("smg_mesh_members", mesh, m -> m.status().aliveMembers().size()).tag("state", "alive")
                .description("Mesh members this node believes alive, itself included").register(registry);
        Gauge.builder("smg_mesh_members", mesh, m -> m.status().suspectMembers().size()).tag("state", "suspect")
                .description("Mesh members this node suspects").register(registry);
        Gauge.builder("smg_mesh_partitioned", mesh, m -> m.status().partitioned() ? 1 : 0)
                .description("1 when this node sees less than a quorum of the known membership").register(registry);
        Gauge.builder("smg_mesh_store_cardinality", mesh, m -> m.crdtStore().state().size())
                .description("Entries in the replicated state, tombstones and counter shards included").register(registry);
        FunctionCounter.builder("smg_mesh_gossip_bytes_sent_total", mesh, GossipMesh::bytesSent)
                .description("Gossip bytes this node sent, requests and replies").register(registry);
    }
}
