package dev.shepherd.plugin.policy.basic;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The characters of recent requests, by prompt length, from which {@code bucket} learns boundaries that
 * give every worker about the same number of characters (SMG rebuilds its boundaries the same way from
 * the lengths of requests in its window).
 *
 * <p>Lengths fall into log-linear slots: exact below {@value #EXACT_SLOTS}, then eight slots per power
 * of two (12.5 % wide), so a few hundred counters cover every int length and recording is one atomic
 * add. {@link #decay()} halves everything each adjustment: old traffic fades rather than being cut off,
 * which keeps boundaries from jumping between intervals.
 */
final class LengthHistogram {

    static final int EXACT_SLOTS = 16;
    private static final int SUB_BITS = 3;
    private static final int SUB_SLOTS = 1 << SUB_BITS;
    private static final int FIRST_EXPONENT = 4; // 2^4 == EXACT_SLOTS
    static final int SLOTS = EXACT_SLOTS + (31 - FIRST_EXPONENT) * SUB_SLOTS;

    private final AtomicLongArray chars = new AtomicLongArray(SLOTS);
    private final AtomicLong requests = new AtomicLong();

    void record(int length) {
        if (length > 0) {
            chars.addAndGet(slotOf(length), length);
        }
        requests.incrementAndGet();
    }

    /**
     * {@code bucketCount - 1} ascending cut points that split the recorded characters into shares as
     * equal as the slots allow, or null while fewer than {@code bucketCount} requests were recorded.
     * Each cut falls on the slot edge nearest its target share.
     */
    int[] cutPoints(int bucketCount) {
        long[] snapshot = new long[SLOTS];
        long total = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            snapshot[slot] = chars.get(slot);
            total += snapshot[slot];
        }
        if (bucketCount < 2 || requests.get() < bucketCount || total == 0) {
            return null;
        }
        int[] cuts = new int[bucketCount - 1];
        int k = 1;
        long cumulative = 0;
        for (int slot = 0; slot < SLOTS && k < bucketCount; slot++) {
            long before = cumulative;
            cumulative += snapshot[slot];
            while (k < bucketCount && cumulative * bucketCount >= k * total) {
                double target = (double) k * total / bucketCount;
                long cut = cumulative - target <= target - before ? upperBound(slot) + 1L : lowerBound(slot);
                int previous = k == 1 ? 0 : cuts[k - 2];
                cuts[k - 1] = (int) Math.max(previous, Math.min(cut, Integer.MAX_VALUE));
                k++;
            }
        }
        return cuts;
    }

    /** Halves every count, so history fades by half each adjustment interval. */
    void decay() {
        for (int slot = 0; slot < SLOTS; slot++) {
            chars.getAndUpdate(slot, value -> value >> 1);
        }
        requests.getAndUpdate(value -> value >> 1);
    }

    static int slotOf(int length) {
        if (length < EXACT_SLOTS) {
            return Math.max(length, 0);
        }
        int exponent = 31 - Integer.numberOfLeadingZeros(length);
        int sub = (length >>> (exponent - SUB_BITS)) & (SUB_SLOTS - 1);
        return EXACT_SLOTS + (exponent - FIRST_EXPONENT) * SUB_SLOTS + sub;
    }

    /** The smallest length in {@code slot}. */
    static long lowerBound(int slot) {
        if (slot < EXACT_SLOTS) {
            return slot;
        }
        int exponent = FIRST_EXPONENT + (slot - EXACT_SLOTS) / SUB_SLOTS;
        int sub = (slot - EXACT_SLOTS) % SUB_SLOTS;
        return (long) (SUB_SLOTS + sub) << (exponent - SUB_BITS);
    }

    /** The largest length in {@code slot}. */
    static long upperBound(int slot) {
        return slot < EXACT_SLOTS ? slot : lowerBound(slot + 1) - 1;
    }
}
