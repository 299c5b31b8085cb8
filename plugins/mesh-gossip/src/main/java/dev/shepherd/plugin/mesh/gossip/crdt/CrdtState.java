package dev.shepherd.plugin.mesh.gossip.crdt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * One replica's state: LWW registers and PN-counter shards, keyed by {@link StateEntry#id()}.
 * Every change goes through {@link #merge}, which is the join of a state-based CRDT, so local writes,
 * gossiped deltas and anti-entropy pages all converge the same way.
 *
 * <p>For anti-entropy the ids are spread over {@value #BUCKETS} buckets, each with an order-free
 * digest (XOR of entry hashes): replicas compare digests and ship only the buckets that differ.
 *
 * <p>Reads are lock-free on the skip list; merges are serialised so digests stay exact.
 */
public final class CrdtState {

    public static final int BUCKETS = 64;

    private final ConcurrentSkipListMap<String, StateEntry> entries = new ConcurrentSkipListMap<>();
    private final long[] digests = new long[BUCKETS];
    private final LongSupplier wallMillis;
    private final long tombstoneTtlMillis;
    private final long counterTtlMillis;

    /** A state that never collects counters. */
    public CrdtState(LongSupplier wallMillis, long tombstoneTtlMillis) {
        this(wallMillis, tombstoneTtlMillis, Long.MAX_VALUE);
    }

    /**
     * @param wallMillis the clock tombstones and counters age by
     * @param tombstoneTtlMillis how long a tombstone is kept before {@link #collectTombstones()} drops
     *     it; a replica cut off for longer than this may bring a removed key back
     * @param counterTtlMillis a counter none of whose shards changed for this long is dropped whole
     */
    public CrdtState(LongSupplier wallMillis, long tombstoneTtlMillis, long counterTtlMillis) {
        this.wallMillis = wallMillis;
        this.tombstoneTtlMillis = tombstoneTtlMillis;
        this.counterTtlMillis = counterTtlMillis;
    }

    /** A state that keeps tombstones for ever: the pure CRDT, for tests. */
    public static CrdtState withoutTombstoneCollection() {
        return new CrdtState(() -> 0L, Long.MAX_VALUE);
    }

    public static int bucketOf(String id) {
        return Math.floorMod(id.hashCode(), BUCKETS);
    }

    /** Merges entries in; returns the entries now stored for the ids that changed. */
    public synchronized List<StateEntry> merge(Collection<? extends StateEntry> incoming) {
        List<StateEntry> changed = new ArrayList<>();
        for (StateEntry entry : incoming) {
            StateEntry stored = mergeOne(entry);
            if (stored != null) {
                changed.add(stored);
            }
        }
        return changed;
    }

    /** Merges one entry in; returns the entry now stored when it changed, else null. */
    public synchronized StateEntry mergeOne(StateEntry entry) {
        String id = entry.id();
        StateEntry current = entries.get(id);
        if (current == null && (isExpiredTombstone(entry) || isExpiredCounter(entry))) {
            // Already collected here (or never seen): taking it back would only make us collect it again.
            return null;
        }
        StateEntry merged = current == null ? entry : current.merge(entry);
        if (merged.equals(current)) {
            return null;
        }
        int bucket = bucketOf(id);
        if (current != null) {
            digests[bucket] ^= EntryHash.of(current);
        }
        digests[bucket] ^= EntryHash.of(merged);
        entries.put(id, merged);
        return merged;
    }

    private boolean isExpiredTombstone(StateEntry entry) {
        return entry instanceof Register r && r.isTombstone() && tombstoneTtlMillis != Long.MAX_VALUE
                && r.timestamp().wallMillis() < wallMillis.getAsLong() - tombstoneTtlMillis;
    }

    /**
     * A shard of a counter none of whose shards here changed within the counter TTL. Shards are
     * judged per counter, not one by one, so a node that stopped counting does not vanish from a
     * counter others still use.
     */
    private boolean isExpiredCounter(StateEntry entry) {
        if (!(entry instanceof CounterShard shard) || counterTtlMillis == Long.MAX_VALUE) {
            return false;
        }
        long horizon = wallMillis.getAsLong() - counterTtlMillis;
        if (shard.updatedMillis() >= horizon) {
            return false;
        }
        for (StateEntry other : range(CounterShard.counterPrefix(shard.namespace(), shard.key())).values()) {
            if (((CounterShard) other).updatedMillis() >= horizon) {
                return false;
            }
        }
        return true;
    }

    /** Drops tombstones older than the tombstone TTL and counters idle for the counter TTL; returns how many entries. */
    public synchronized int collectTombstones() {
        List<StateEntry> expired = new ArrayList<>();
        for (StateEntry entry : entries.values()) {
            if (isExpiredTombstone(entry) || isExpiredCounter(entry)) {
                expired.add(entry);
            }
        }
        for (StateEntry entry : expired) {
            digests[bucketOf(entry.id())] ^= EntryHash.of(entry);
            entries.remove(entry.id());
        }
        return expired.size();
    }

    public Optional<Register> register(String namespace, String key) {
        return Optional.ofNullable((Register) entries.get(Register.idOf(namespace, key)));
    }

    /** The live (non-tombstone) registers of a namespace. */
    public List<Register> registers(String namespace) {
        String prefix = Register.namespacePrefix(namespace);
        List<Register> result = new ArrayList<>();
        for (StateEntry entry : range(prefix).values()) {
            Register r = (Register) entry;
            if (!r.isTombstone()) {
                result.add(r);
            }
        }
        return result;
    }

    public Optional<CounterShard> shard(String namespace, String key, String node) {
        return Optional.ofNullable((CounterShard) entries.get(CounterShard.idOf(namespace, key, node)));
    }

    /** The counter's value: the sum of every node's shard. */
    public long counter(String namespace, String key) {
        long sum = 0;
        for (StateEntry entry : range(CounterShard.counterPrefix(namespace, key)).values()) {
            sum += ((CounterShard) entry).value();
        }
        return sum;
    }

    private NavigableMap<String, StateEntry> range(String prefix) {
        return entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    /** A copy of the per-bucket digests. */
    public synchronized long[] digests() {
        return digests.clone();
    }

    /**
     * Up to {@code max} entries after {@code afterId} (exclusive; "" from the start) in buckets whose
     * digest differs from {@code remoteDigests}, and the id to continue after, or "" when done.
     */
    public Page page(String afterId, long[] remoteDigests, int max) {
        long[] local = digests();
        List<StateEntry> out = new ArrayList<>();
        NavigableMap<String, StateEntry> tail = afterId.isEmpty() ? entries : entries.tailMap(afterId, false);
        for (Map.Entry<String, StateEntry> e : tail.entrySet()) {
            int bucket = bucketOf(e.getKey());
            if (remoteDigests != null && remoteDigests[bucket] == local[bucket]) {
                continue;
            }
            if (out.size() == max) {
                return new Page(out, out.get(out.size() - 1).id());
            }
            out.add(e.getValue());
        }
        return new Page(out, "");
    }

    /** A page of entries for anti-entropy. */
    public record Page(List<StateEntry> entries, String nextAfterId) {

        public boolean last() {
            return nextAfterId.isEmpty();
        }
    }

    /** Every entry, for tests and full snapshots. */
    public Map<String, StateEntry> snapshot() {
        return Map.copyOf(entries);
    }

    public int size() {
        return entries.size();
    }
}
