package dev.shepherd.plugin.mesh.gossip.crdt;

/**
 * A hybrid logical clock reading: wall-clock milliseconds plus a logical counter that orders events
 * within the same millisecond or when a remote clock ran ahead of ours. Ties between writers are
 * broken by the writer's node id in {@link Register}, so readings need not be globally unique.
 */
public record Hlc(long wallMillis, int logical) implements Comparable<Hlc> {

    public static final Hlc ZERO = new Hlc(0, 0);

    @Override
    public int compareTo(Hlc other) {
        int byWall = Long.compare(wallMillis, other.wallMillis);
        return byWall != 0 ? byWall : Integer.compare(logical, other.logical);
    }
}
