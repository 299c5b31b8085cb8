package dev.shepherd.testkit.fakes;

import dev.shepherd.spi.worker.WorkerLoad;

/** A worker load a test sets directly. */
public final class FakeWorkerLoad implements WorkerLoad {

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

    public FakeWorkerLoad inFlight(int value) {
        inFlight = value;
        return this;
    }

    public FakeWorkerLoad queuedPromptTokens(long value) {
        queuedPromptTokens = value;
        return this;
    }

    public FakeWorkerLoad kvCacheUsage(double value) {
        kvCacheUsage = value;
        return this;
    }
}
