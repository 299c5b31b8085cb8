package dev.shepherd.plugin.mesh.gossip;

import java.util.List;

/**
 * The {@code mesh} section's settings for the gossip mesh. Missing keys take the defaults below,
 * which suit a LAN cluster of up to a few dozen gateways; SMG's flags map onto the first five.
 *
 * @param nodeName {@code node_name}: this node's unique name (SMG {@code --mesh-server-name});
 *     defaults to the advertised host:port
 * @param host {@code host}: the address the gossip listener binds (SMG {@code --mesh-host}, 0.0.0.0)
 * @param advertiseHost {@code advertise_host}: the host peers dial (SMG {@code --mesh-advertise-host});
 *     defaults to {@code host}, or 127.0.0.1 when binding every interface
 * @param port {@code port}: the gossip port (SMG {@code --mesh-port}, 39527); 0 picks a free one
 * @param seeds {@code seeds}: host:port of peers to join through (SMG {@code --mesh-peer-urls})
 * @param probeIntervalMs {@code probe_interval_ms}: one probe per interval (1000)
 * @param probeTimeoutMs {@code probe_timeout_ms}: wait for a direct ack before asking others (400)
 * @param indirectProbes {@code indirect_probes}: members asked to probe for us (3)
 * @param suspicionTimeoutMs {@code suspicion_timeout_ms}: a suspect not refuted within this is dead (3000)
 * @param deadRetentionMs {@code dead_retention_ms}: a dead member is forgotten (and leaves the quorum
 *     baseline) after this (300000)
 * @param antiEntropyIntervalMs {@code anti_entropy_interval_ms}: full-state sync with a random peer (2000)
 * @param syncPageEntries {@code sync_page_entries}: entries per anti-entropy page (500)
 * @param retransmitMultiplier {@code retransmit_multiplier}: an update rides on this times
 *     ceil(log2(n+1)) messages (4)
 * @param maxPiggyback {@code max_piggyback}: state entries per message, and membership claims per message (32)
 * @param tombstoneTtlMs {@code tombstone_ttl_ms}: removed keys are forgotten after this (3600000)
 * @param leaveTimeoutMs {@code leave_timeout_ms}: how long a graceful leave waits for peers (1000)
 * @param gossipIntervalMs {@code gossip_interval_ms}: how often pending updates are pushed to
 *     {@code gossip_fanout} random members besides riding on probes (200)
 * @param gossipFanout {@code gossip_fanout}: members each push goes to (3)
 * @param tlsKeystore {@code tls_keystore}: a PKCS#12 file with this node's key and certificate; with
 *     {@code tls_truststore}, turns on mutual TLS for gossip (every node must then use it)
 * @param tlsKeystorePassword {@code tls_keystore_password}
 * @param tlsTruststore {@code tls_truststore}: a PKCS#12 file with the certificates (or CA) peers must present
 * @param tlsTruststorePassword {@code tls_truststore_password}
 * @param counterTtlMs {@code counter_ttl_ms}: a counter no node changed for this long is forgotten
 *     (86400000, a day); windowed rate-limit keys rely on it
 * @param advertisePort {@code advertise_port}: the port peers dial when it differs from the bound one
 *     (behind NAT or a port mapping); defaults to the bound port
 */
public record MeshGossipConfig(String nodeName, String host, String advertiseHost, Integer port, List<String> seeds,
                               Long probeIntervalMs, Long probeTimeoutMs, Integer indirectProbes,
                               Long suspicionTimeoutMs, Long deadRetentionMs, Long antiEntropyIntervalMs,
                               Integer syncPageEntries, Integer retransmitMultiplier, Integer maxPiggyback,
                               Long tombstoneTtlMs, Long leaveTimeoutMs, Integer advertisePort,
                               Long gossipIntervalMs, Integer gossipFanout, String tlsKeystore,
                               String tlsKeystorePassword, String tlsTruststore, String tlsTruststorePassword,
                               Long counterTtlMs) {

    public static final int DEFAULT_PORT = 39527;

    public MeshGossipConfig {
        host = host == null || host.isBlank() ? "0.0.0.0" : host;
        advertiseHost = advertiseHost == null || advertiseHost.isBlank()
                ? ("0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host) : advertiseHost;
        port = port == null ? DEFAULT_PORT : port;
        seeds = seeds == null ? List.of() : seeds.stream().map(MeshGossipConfig::normaliseSeed).toList();
        probeIntervalMs = positive(probeIntervalMs, 1000L, "probe_interval_ms");
        probeTimeoutMs = positive(probeTimeoutMs, 400L, "probe_timeout_ms");
        indirectProbes = indirectProbes == null ? 3 : indirectProbes;
        suspicionTimeoutMs = positive(suspicionTimeoutMs, 3000L, "suspicion_timeout_ms");
        deadRetentionMs = positive(deadRetentionMs, 300_000L, "dead_retention_ms");
        antiEntropyIntervalMs = positive(antiEntropyIntervalMs, 2000L, "anti_entropy_interval_ms");
        syncPageEntries = syncPageEntries == null ? 500 : syncPageEntries;
        retransmitMultiplier = retransmitMultiplier == null ? 4 : retransmitMultiplier;
        maxPiggyback = maxPiggyback == null ? 32 : maxPiggyback;
        tombstoneTtlMs = positive(tombstoneTtlMs, 3_600_000L, "tombstone_ttl_ms");
        leaveTimeoutMs = positive(leaveTimeoutMs, 1000L, "leave_timeout_ms");
        gossipIntervalMs = positive(gossipIntervalMs, 200L, "gossip_interval_ms");
        counterTtlMs = positive(counterTtlMs, 86_400_000L, "counter_ttl_ms");
        gossipFanout = gossipFanout == null ? 3 : gossipFanout;
        if ((tlsKeystore == null) != (tlsTruststore == null)) {
            throw new IllegalArgumentException("tls_keystore and tls_truststore go together: mutual TLS needs both");
        }
        if (gossipFanout < 0) {
            throw new IllegalArgumentException("gossip_fanout must be >= 0, not " + gossipFanout);
        }
        if (advertisePort != null && (advertisePort < 1 || advertisePort > 65535)) {
            throw new IllegalArgumentException("advertise_port must be 1..65535, not " + advertisePort);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
        if (probeTimeoutMs >= probeIntervalMs) {
            throw new IllegalArgumentException("probe_timeout_ms (" + probeTimeoutMs
                    + ") must be shorter than probe_interval_ms (" + probeIntervalMs + ")");
        }
        if (indirectProbes < 0) {
            throw new IllegalArgumentException("indirect_probes must be >= 0, not " + indirectProbes);
        }
        if (syncPageEntries < 1 || retransmitMultiplier < 1 || maxPiggyback < 1) {
            throw new IllegalArgumentException("sync_page_entries, retransmit_multiplier and max_piggyback must be >= 1");
        }
        if (nodeName != null && (nodeName.isBlank() || nodeName.indexOf('\u0000') >= 0)) {
            throw new IllegalArgumentException("node_name must be a non-blank name");
        }
    }

    public static MeshGossipConfig defaults() {
        return new MeshGossipConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether gossip runs over mutual TLS. */
    public boolean tls() {
        return tlsKeystore != null;
    }

    /** The port peers dial: the advertised one, else the one bound. */
    public int advertisedPort(int boundPort) {
        return advertisePort != null ? advertisePort : boundPort;
    }

    /** The name this node goes by: the configured one, else its advertised address. */
    public String nodeNameOr(int boundPort) {
        return nodeName != null ? nodeName : advertiseHost + ":" + advertisedPort(boundPort);
    }

    private static String normaliseSeed(String seed) {
        String s = seed.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.lastIndexOf(':') <= 0) {
            throw new IllegalArgumentException("seed must be host:port, not " + seed);
        }
        return s;
    }

    private static Long positive(Long value, long fallback, String key) {
        if (value == null) {
            return fallback;
        }
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, not " + value);
        }
        return value;
    }
}
