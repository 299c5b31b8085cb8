package dev.shepherd.plugin.mesh.gossip.crdt;

/**
 * One node's share of a PN-counter: the sums of its increments and of its decrements, each only
 * ever growing. The counter's value is the sum over all shards of {@code increments - decrements};
 * merging two copies of one shard takes the maximum of each sum.
 *
 * @param updatedMillis wall-clock time of the node's last change (merged by maximum too): a counter
 *     none of whose shards changed for the counter TTL is collected, so windowed budgets
 *     ({@code tenant:12:00}) do not pile up
 */
public record CounterShard(String namespace, String key, String node, long increments, long decrements,
                           long updatedMillis) implements StateEntry {

    public CounterShard {
        StateEntry.checkPart(namespace, "namespace");
        StateEntry.checkPart(key, "key");
        StateEntry.checkPart(node, "node");
        if (increments < 0 || decrements < 0) {
            throw new IllegalArgumentException("counter sums never go negative");
        }
    }

    /** A shard with no change time: for tests and states that never collect counters. */
    public CounterShard(String namespace, String key, String node, long increments, long decrements) {
        this(namespace, key, node, increments, decrements, 0);
    }

    public static String idOf(String namespace, String key, String node) {
        return counterPrefix(namespace, key) + node;
    }

    /** The id prefix of every shard of one counter, for range scans. */
    public static String counterPrefix(String namespace, String key) {
        return "c" + SEPARATOR + namespace + SEPARATOR + key + SEPARATOR;
    }

    @Override
    public String id() {
        return idOf(namespace, key, node);
    }

    public long value() {
        return increments - decrements;
    }

    /** This shard after a local change of {@code delta} at {@code nowMillis}. */
    public CounterShard add(long delta, long nowMillis) {
        long updated = Math.max(updatedMillis, nowMillis);
        return delta >= 0
                ? new CounterShard(namespace, key, node, Math.addExact(increments, delta), decrements, updated)
                : new CounterShard(namespace, key, node, increments, Math.subtractExact(decrements, delta), updated);
    }

    @Override
    public StateEntry merge(StateEntry other) {
        CounterShard that = (CounterShard) other;
        return new CounterShard(namespace, key, node, Math.max(increments, that.increments),
                Math.max(decrements, that.decrements), Math.max(updatedMillis, that.updatedMillis));
    }
}
