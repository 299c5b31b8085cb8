package dev.shepherd.kernel.admission;

import dev.shepherd.spi.state.StateStore;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A request rate shared by every node of a mesh, counted in one-second windows. Each node publishes
 * its own count for the current window under its own key (one key per node, so nothing accumulates),
 * and admits a request only while its count plus the others' counts for the same window stay under
 * the limit. The others' counts arrive by gossip, a few hundred milliseconds late, so the cluster can
 * overshoot by about that share of a window: a budget, not an exact quota.
 */
public final class ClusterRateLimit {

    static final String NAMESPACE = "rate_limits";
    private static final String PREFIX = "global/";

    private final StateStore store;
    private final String ownKey;
    private final double perSecond;
    private final LongSupplier millis;
    private long window = Long.MIN_VALUE;
    private long ownCount;

    public ClusterRateLimit(StateStore store, String nodeId, double perSecond, LongSupplier millis) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("the cluster rate limit must be positive");
        }
        this.store = store;
        this.ownKey = PREFIX + nodeId;
        this.perSecond = perSecond;
        this.millis = millis;
    }

    /** Takes one request from the budget: 0 when admitted, else nanoseconds until the next window. */
    public synchronized long tryAcquire() {
        long now = millis.getAsLong();
        long current = now / 1000;
        if (current != window) {
            window = current;
            ownCount = 0;
        }
        if (ownCount + othersCount(current) + 1 > perSecond) {
            return TimeUnit.MILLISECONDS.toNanos(1000 - now % 1000);
        }
        ownCount++;
        store.put(NAMESPACE, ownKey, ByteBuffer.allocate(16).putLong(current).putLong(ownCount).array());
        return 0;
    }

    private long othersCount(long current) {
        long sum = 0;
        for (Map.Entry<String, byte[]> e : store.entries(NAMESPACE).entrySet()) {
            if (e.getKey().startsWith(PREFIX) && !e.getKey().equals(ownKey) && e.getValue().length == 16) {
                ByteBuffer value = ByteBuffer.wrap(e.getValue());
                if (value.getLong() == current) {
                    sum += value.getLong();
                }
            }
        }
        return sum;
    }
}
