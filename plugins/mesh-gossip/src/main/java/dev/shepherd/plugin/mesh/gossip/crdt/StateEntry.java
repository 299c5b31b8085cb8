package dev.shepherd.plugin.mesh.gossip.crdt;

/**
 * One independently mergeable piece of replicated state. A delta is a list of entries and the full
 * state is the set of all entries; merging is entry-wise, so deltas and full states merge alike.
 */
public sealed interface StateEntry permits Register, CounterShard {

    String namespace();

    String key();

    /** The entry's identity in the state: entries with the same id merge with each other. */
    String id();

    /** The join of this entry and another with the same {@link #id()}; commutative, associative, idempotent. */
    StateEntry merge(StateEntry other);

    /** Separates the parts of an id; namespaces and keys must not contain it. */
    char SEPARATOR = '\u0000';

    static String checkPart(String part, String what) {
        if (part.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL: " + part.replace(SEPARATOR, '?'));
        }
        return part;
    }
}
