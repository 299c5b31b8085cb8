package dev.shepherd.kernel.worker;

import dev.shepherd.spi.mesh.MeshStatus;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Which mesh node health-checks a worker: rendezvous hashing of the worker's URL over the members
 * this node sees alive. Nodes that see the same members agree on one prober per worker, and a member
 * joining or leaving moves only the workers it wins or held. A partitioned node probes every worker
 * itself, since the owner may be on the other side.
 */
public final class ProbeOwnership implements Predicate<String> {

    private final Supplier<MeshStatus> mesh;

    public ProbeOwnership(Supplier<MeshStatus> mesh) {
        this.mesh = mesh;
    }

    /** True when this node should probe the worker at {@code url}. */
    @Override
    public boolean test(String url) {
        MeshStatus status = mesh.get();
        return status.partitioned() || status.aliveMembers().isEmpty()
                || status.nodeId().equals(ownerAmong(status, url));
    }

    /**
     * The node that probes the worker at {@code url}, as this node sees it: this node itself when it
     * is partitioned (it then probes everything), else the rendezvous winner among the live members.
     */
    public String owner(String url) {
        MeshStatus status = mesh.get();
        return status.partitioned() || status.aliveMembers().isEmpty() ? status.nodeId() : ownerAmong(status, url);
    }

    private static String ownerAmong(MeshStatus status, String url) {
        String owner = null;
        long best = 0;
        for (String member : status.aliveMembers()) {
            long weight = weight(member, url);
            if (owner == null || Long.compareUnsigned(weight, best) > 0
                    || (weight == best && member.compareTo(owner) > 0)) {
                owner = member;
                best = weight;
            }
        }
        return owner;
    }

    /** FNV-1a of member and key, then a SplitMix64 finaliser to spread it. */
    static long weight(String member, String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (member + '\u0000' + key).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
