package dev.shepherd.plugin.mesh.gossip.crdt;

import java.util.Arrays;
import java.util.Objects;

/**
 * A last-writer-wins register: the value with the highest (HLC, writer) wins. A removal is a
 * tombstone (a register without a value) so that it can win over an older write that arrives later.
 *
 * @param value the value, or null for a tombstone
 * @param writer the node that wrote it, breaking ties between equal clock readings
 */
public record Register(String namespace, String key, byte[] value, Hlc timestamp, String writer) implements StateEntry {

    public Register {
        StateEntry.checkPart(namespace, "namespace");
        StateEntry.checkPart(key, "key");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(writer, "writer");
    }

    public static String idOf(String namespace, String key) {
        return "r" + SEPARATOR + namespace + SEPARATOR + key;
    }

    /** The id prefix of every register in a namespace, for range scans. */
    public static String namespacePrefix(String namespace) {
        return "r" + SEPARATOR + namespace + SEPARATOR;
    }

    @Override
    public String id() {
        return idOf(namespace, key);
    }

    public boolean isTombstone() {
        return value == null;
    }

    @Override
    public StateEntry merge(StateEntry other) {
        Register that = (Register) other;
        return compareTo(that) >= 0 ? this : that;
    }

    /**
     * Total order between writes to the same key. Clock, then writer, then the value bytes (a
     * tombstone lowest): the last two only matter for equal readings, and make merge deterministic
     * even then.
     */
    public int compareTo(Register that) {
        int c = timestamp.compareTo(that.timestamp);
        if (c != 0) {
            return c;
        }
        c = writer.compareTo(that.writer);
        if (c != 0) {
            return c;
        }
        if (value == null || that.value == null) {
            return Boolean.compare(value != null, that.value != null);
        }
        return Arrays.compare(value, that.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Register r && namespace.equals(r.namespace) && key.equals(r.key)
                && Arrays.equals(value, r.value) && timestamp.equals(r.timestamp) && writer.equals(r.writer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, key, Arrays.hashCode(value), timestamp, writer);
    }

    @Override
    public String toString() {
        return "Register[" + namespace + "/" + key + "=" + (value == null ? "<tombstone>" : value.length + " bytes")
                + " @" + timestamp + " by " + writer + "]";
    }
}
