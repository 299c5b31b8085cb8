package dev.shepherd.plugin.policy.cacheaware;

import dev.shepherd.spi.worker.WorkerLoad;

/** A worker load a test sets directly. */
final class FakeWorkerLoad implements WorkerLoad {

    private volatile int inFlight;
    private volatile long queuedPromptTokens;
    private volatile double kvCacheUsage = -1;

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public long queuedPromptTokens() {
        return queuedPromptTokens;
    }

    @Override
    public double kvCacheUsage() {
        return kvCacheUsage;
    }

    FakeWorkerLoad inFlight(int value) {
        inFlight = value;
        return this;
    }

    FakeWorkerLoad queuedPromptTokens(long value) {
        queuedPromptTokens = value;
        return this;
    }

    FakeWorkerLoad kvCacheUsage(double value) {
        kvCacheUsage = value;
        return this;
    }
}
