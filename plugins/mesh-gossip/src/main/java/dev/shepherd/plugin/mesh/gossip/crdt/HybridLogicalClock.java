package dev.shepherd.plugin.mesh.gossip.crdt;

import java.util.function.LongSupplier;

/**
 * Issues {@link Hlc} readings that never go backwards and always exceed every reading observed from
 * peers, so a write made after seeing a remote write wins over it even when our wall clock lags.
 */
public final class HybridLogicalClock {

    private final LongSupplier wallMillis;
    private long lastWall;
    private int lastLogical;

    public HybridLogicalClock(LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
    }

    /** A reading for a local event. */
    public synchronized Hlc now() {
        long wall = wallMillis.getAsLong();
        if (wall > lastWall) {
            lastWall = wall;
            lastLogical = 0;
        } else {
            lastLogical++;
        }
        return new Hlc(lastWall, lastLogical);
    }

    /** Folds in a remote reading so later local readings order after it. */
    public synchronized void observe(Hlc remote) {
        long wall = wallMillis.getAsLong();
        long maxWall = Math.max(wall, Math.max(lastWall, remote.wallMillis()));
        if (maxWall == lastWall && maxWall == remote.wallMillis()) {
            lastLogical = Math.max(lastLogical, remote.logical()) + 1;
        } else if (maxWall == lastWall) {
            lastLogical++;
        } else if (maxWall == remote.wallMillis()) {
            lastLogical = remote.logical() + 1;
        } else {
            lastLogical = 0;
        }
        lastWall = maxWall;
    }

    /** The wall clock this HLC reads, for tombstone ageing. */
    public long wallMillis() {
        return wallMillis.getAsLong();
    }
}
