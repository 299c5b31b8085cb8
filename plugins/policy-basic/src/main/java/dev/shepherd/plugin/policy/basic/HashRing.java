package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.worker.Worker;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable consistent-hash ring over one candidate list: {@value #VIRTUAL_NODES_PER_WORKER}
 * virtual nodes per worker (SMG uses 150), placed by the hash of the worker's id so that a worker's
 * points do not depend on who else is on the ring. Adding or removing one of N workers therefore moves
 * only the keys whose nearest point belonged to that worker, about 1/N of them.
 *
 * <p>Each point is one {@code long}: the high bits are the point's hash, the low
 * {@value #POSITION_BITS} bits the worker's position in the list the ring was built from. One
 * primitive array keeps the ring compact and lets {@link Arrays#sort(long[])} order it; the 44 bits
 * left for the hash are ample for even a few hundred thousand points.
 */
final class HashRing {

    static final int VIRTUAL_NODES_PER_WORKER = 150;

    private static final int POSITION_BITS = 20;
    private static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
    private static final int MAX_WORKERS = 1 << POSITION_BITS;

    private final long[] points;

    private HashRing(long[] points) {
        this.points = points;
    }

    /** Builds the ring for {@code workers}; positions returned later index into this same list. */
    static HashRing over(List<Worker> workers) {
        int n = workers.size();
        if (n == 0 || n > MAX_WORKERS) {
            throw new IllegalArgumentException("a hash ring holds 1 to " + MAX_WORKERS + " workers, not " + n);
        }
        long[] points = new long[n * VIRTUAL_NODES_PER_WORKER];
        int next = 0;
        for (int position = 0; position < n; position++) {
            long workerHash = RingHash.of(workers.get(position).id());
            for (int replica = 0; replica < VIRTUAL_NODES_PER_WORKER; replica++) {
                points[next++] = (RingHash.virtualNode(workerHash, replica) & ~POSITION_MASK) | position;
            }
        }
        Arrays.sort(points);
        return new HashRing(points);
    }

    /** The number of points on the ring. */
    int pointCount() {
        return points.length;
    }

    /** The index of the first point at or after {@code keyHash}, wrapping past the end to the start. */
    int pointIndexFor(long keyHash) {
        long probe = locationOf(keyHash);
        int found = Arrays.binarySearch(points, probe);
        // An exact hit can only be a position-0 point; if two of them collide, take the first.
        if (found >= 0) {
            while (found > 0 && points[found - 1] == probe) {
                found--;
            }
            return found;
        }
        int insertion = -found - 1;
        return insertion == points.length ? 0 : insertion;
    }

    /** The index of the point clockwise after {@code pointIndex}. */
    int nextPointIndex(int pointIndex) {
        int next = pointIndex + 1;
        return next == points.length ? 0 : next;
    }

    /** The ring location (hash bits) of the point at {@code pointIndex}. */
    long locationAt(int pointIndex) {
        return points[pointIndex] & ~POSITION_MASK;
    }

    /** The location a key hash is looked up at: its hash bits, compared with {@link #locationAt}. */
    static long locationOf(long keyHash) {
        return keyHash & ~POSITION_MASK;
    }

    /** The candidate position that owns the point at {@code pointIndex}. */
    int positionAt(int pointIndex) {
        return (int) (points[pointIndex] & POSITION_MASK);
    }

    /** The candidate position that owns {@code keyHash}: the first point clockwise from it. */
    int positionFor(long keyHash) {
        return positionAt(pointIndexFor(keyHash));
    }
}
