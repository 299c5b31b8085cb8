package dev.shepherd.kernel.admission;

import java.util.concurrent.atomic.LongAdder;

/** Counts of what admission decided, for metrics. */
public final class AdmissionStats {

    final LongAdder admitted = new LongAdder();
    final LongAdder queued = new LongAdder();
    final LongAdder rejectedRate = new LongAdder();
    final LongAdder rejectedTenantConcurrency = new LongAdder();
    final LongAdder rejectedQueueFull = new LongAdder();
    final LongAdder rejectedQueueTimeout = new LongAdder();
    final LongAdder preempted = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();

    void recordWait(long nanos) {
        waitNanos.add(nanos);
    }

    public long admitted() {
        return admitted.sum();
    }

    public long queued() {
        return queued.sum();
    }

    public long rejectedRate() {
        return rejectedRate.sum();
    }

    public long rejectedTenantConcurrency() {
        return rejectedTenantConcurrency.sum();
    }

    public long rejectedQueueFull() {
        return rejectedQueueFull.sum();
    }

    public long rejectedQueueTimeout() {
        return rejectedQueueTimeout.sum();
    }

    public long preempted() {
        return preempted.sum();
    }

    public double totalQueueWaitSeconds() {
        return waitNanos.sum() / 1e9;
    }
}
