package dev.shepherd.plugin.policy.basic;

import java.util.ArrayList;
import java.util.List;

/**
 * The workers a routing key sticks to, preferred first, and when the key was last used. As in SMG a
 * key remembers up to {@value #MAX_WORKERS} workers: when its worker is unavailable it is reassigned
 * but the old worker stays first, so the key returns to it (and its warm KV cache) once it recovers.
 *
 * <p>The worker list is immutable (changed by replacing the assignment in the table); only the access
 * time is written on the hot path, a plain volatile store.
 */
final class StickyAssignment {

    static final int MAX_WORKERS = 2;

    private final List<String> workerIds;
    private volatile long lastAccessMillis;

    StickyAssignment(List<String> workerIds, long lastAccessMillis) {
        this.workerIds = List.copyOf(workerIds);
        this.lastAccessMillis = lastAccessMillis;
    }

    List<String> workerIds() {
        return workerIds;
    }

    boolean holds(String workerId) {
        return workerIds.contains(workerId);
    }

    boolean isIdle(long nowMillis, long maxIdleMillis) {
        return nowMillis - lastAccessMillis >= maxIdleMillis;
    }

    void touch(long nowMillis) {
        lastAccessMillis = nowMillis;
    }

    /** This assignment with {@code workerId} appended, dropping the oldest worker beyond the bound. */
    StickyAssignment with(String workerId, long nowMillis) {
        List<String> ids = new ArrayList<>(workerIds);
        ids.add(workerId);
        while (ids.size() > MAX_WORKERS) {
            ids.remove(0);
        }
        return new StickyAssignment(ids, nowMillis);
    }

    /** The worker that {@link #with} would drop to make room, or null when there is room. */
    String displacedBy() {
        return workerIds.size() < MAX_WORKERS ? null : workerIds.get(0);
    }

    /** This assignment without {@code workerId}, or null when nothing would remain. */
    StickyAssignment without(String workerId) {
        List<String> ids = new ArrayList<>(workerIds);
        ids.remove(workerId);
        return ids.isEmpty() ? null : new StickyAssignment(ids, lastAccessMillis);
    }
}
