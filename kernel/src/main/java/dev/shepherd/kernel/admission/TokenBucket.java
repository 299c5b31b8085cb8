package dev.shepherd.kernel.admission;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code rate} tokens per second up to {@code capacity}; a request takes one.
 * Synchronised per bucket: buckets are per tenant, so contention is per tenant, not global.
 */
final class TokenBucket {

    private final double rate;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    TokenBucket(double rate, double capacity, LongSupplier nanoClock) {
        this.rate = rate;
        this.capacity = capacity;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.lastNanos = nanoClock.getAsLong();
    }

    /** Takes a token; returns 0 when granted, else the nanoseconds until one will be available. */
    synchronized long tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - lastNanos) * rate / 1e9);
        lastNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / rate * 1e9);
    }
}
