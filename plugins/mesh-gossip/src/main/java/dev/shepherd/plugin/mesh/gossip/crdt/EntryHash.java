package dev.shepherd.plugin.mesh.gossip.crdt;

import java.nio.charset.StandardCharsets;

/**
 * A stable 64-bit hash of an entry's full content (FNV-1a with a final mix). Digests are XORs of
 * these, so two replicas holding the same entries have the same digest whatever the insertion order.
 */
final class EntryHash {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private EntryHash() {
    }

    static long of(StateEntry entry) {
        long h = bytes(OFFSET, entry.id().getBytes(StandardCharsets.UTF_8));
        switch (entry) {
            case Register r -> {
                h = longValue(h, r.value() == null ? -1 : r.value().length);
                if (r.value() != null) {
                    h = bytes(h, r.value());
                }
                h = longValue(h, r.timestamp().wallMillis());
                h = longValue(h, r.timestamp().logical());
                h = bytes(h, r.writer().getBytes(StandardCharsets.UTF_8));
            }
            case CounterShard s -> {
                h = longValue(h, s.increments());
                h = longValue(h, s.decrements());
                h = longValue(h, s.updatedMillis());
            }
        }
        return mix(h);
    }

    private static long bytes(long h, byte[] data) {
        for (byte b : data) {
            h = (h ^ (b & 0xff)) * PRIME;
        }
        return h;
    }

    private static long longValue(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h = (h ^ ((v >>> (i * 8)) & 0xff)) * PRIME;
        }
        return h;
    }

    /** SplitMix64's finaliser: spreads FNV's weak low bits before XOR-folding. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
