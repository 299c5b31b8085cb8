package dev.shepherd.plugin.policy.cacheaware;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker as the prefix tree knows it: a small index stored in tree nodes, the worker's id, and the
 * characters of the tree it holds (the sum of the labels of the nodes that record it). Instances are
 * made by {@link TenantTable}; a worker that leaves and comes back gets a new tenant.
 */
final class Tenant {

    private final int index;
    private final String workerId;
    private final AtomicLong chars = new AtomicLong();
    private volatile boolean removed;

    Tenant(int index, String workerId) {
        this.index = index;
        this.workerId = workerId;
    }

    int index() {
        return index;
    }

    String workerId() {
        return workerId;
    }

    /** Characters of the tree this worker holds. */
    long chars() {
        return chars.get();
    }

    void addChars(long delta) {
        chars.addAndGet(delta);
    }

    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    @Override
    public String toString() {
        return workerId + "#" + index;
    }
}
