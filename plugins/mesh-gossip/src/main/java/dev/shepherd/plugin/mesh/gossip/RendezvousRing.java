package dev.shepherd.plugin.mesh.gossip;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Consistent hashing over the live members by rendezvous (highest random weight) hashing: every
 * node ranks members for a key by hash(member, key) and agrees on the owner without coordination
 * when it sees the same membership; a member joining or leaving moves only the keys it wins or held.
 */
public final class RendezvousRing {

    private RendezvousRing() {
    }

    /** The member owning {@code key}, or empty when there are none. */
    public static Optional<String> owner(Collection<String> members, String key) {
        return members.stream().max(Comparator.comparingLong((String m) -> weight(m, key)).thenComparing(m -> m));
    }

    /** The {@code n} members with the highest weight for {@code key}: an owner and its replicas. */
    public static List<String> owners(Collection<String> members, String key, int n) {
        return members.stream()
                .sorted(Comparator.comparingLong((String m) -> weight(m, key)).thenComparing(m -> m).reversed())
                .limit(n).toList();
    }

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
