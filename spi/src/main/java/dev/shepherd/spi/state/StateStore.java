package dev.shepherd.spi.state;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Small key-value state shared by the gateway's nodes: last-writer-wins values and counters, kept
 * per namespace. Without a mesh it is local to this node; with one, writes replicate to every node
 * and concurrent writes converge. Thread-safe; reads are local and never block.
 */
public interface StateStore {

    Optional<byte[]> get(String namespace, String key);

    /** Sets a value; the latest write by hybrid logical clock wins across nodes. */
    void put(String namespace, String key, byte[] value);

    void remove(String namespace, String key);

    /** A snapshot of a namespace. */
    Map<String, byte[]> entries(String namespace);

    /** Adds {@code delta} to a counter (may be negative) and returns the cluster-wide total as known here. */
    long addToCounter(String namespace, String key, long delta);

    long counter(String namespace, String key);

    /**
     * Calls {@code listener} with (key, value or null when removed) on every change to a namespace,
     * local or replicated. Returns a handle that removes the listener.
     */
    AutoCloseable subscribe(String namespace, BiConsumer<String, byte[]> listener);
}
