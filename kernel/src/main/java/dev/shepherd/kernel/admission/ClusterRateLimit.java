package dev.shepherd.kernel.admission;

import dev.shepherd.spi.state.StateStore;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A request rate shared by every node of a mesh, counted in one-second windows. Each node publishes
 * its own count for the current window, and its count for the window before, under its own key (one
 * key per node, so nothing accumulates). It admits a request only while its count plus its estimate
 * of the others' counts stays under the limit. The others' counts arrive by gossip a few hundred
 * milliseconds late, so a node estimates each of them as the larger of what it has seen and that
 * node's previous window prorated to the time elapsed. Under steady load this cancels the delay;
 * after a quiet spell the cluster can still overshoot by about the gossip delay's share of a window.
 * It is a budget, not an exact quota.
 */
public final class ClusterRateLimit {

    static final String NAMESPACE = "rate_limits";
    private static final String GLOBAL_PREFIX = "global/";

    private final StateStore store;
    private final String namespace;
    private final String prefix;
    private final String ownKey;
    private final double perSecond;
    private final LongSupplier millis;
    private long window = Long.MIN_VALUE;
    private long ownCount;
    private long ownPrevious;

    /** The gateway-wide budget: every request counts. */
    public ClusterRateLimit(StateStore store, String nodeId, double perSecond, LongSupplier millis) {
        this(store, NAMESPACE, GLOBAL_PREFIX, nodeId, perSecond, millis);
    }

    /**
     * A budget counted under {@code namespace}, each node's count under {@code prefix + nodeId}.
     * One namespace per budget keeps the scan of the others' counts to that budget's keys.
     */
    ClusterRateLimit(StateStore store, String namespace, String prefix, String nodeId, double perSecond,
                     LongSupplier millis) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("the cluster rate limit must be positive");
        }
        this.store = store;
        this.namespace = namespace;
        this.prefix = prefix;
        this.ownKey = prefix + nodeId;
        this.perSecond = perSecond;
        this.millis = millis;
    }

    /** Takes one request from the budget: 0 when admitted, else nanoseconds until the next window. */
    public synchronized long tryAcquire() {
        long now = millis.getAsLong();
        long current = now / 1000;
        if (current != window) {
            ownPrevious = current == window + 1 ? ownCount : 0;
            window = current;
            ownCount = 0;
        }
        double elapsed = (now % 1000) / 1000.0;
        if (ownCount + othersEstimate(current, elapsed) + 1 > perSecond) {
            return TimeUnit.MILLISECONDS.toNanos(1000 - now % 1000);
        }
        ownCount++;
        store.put(namespace, ownKey,
                ByteBuffer.allocate(24).putLong(current).putLong(ownCount).putLong(ownPrevious).array());
        return 0;
    }

    /** The other nodes' counts for this window: seen so far, or their last window's pace if higher. */
    private double othersEstimate(long current, double elapsed) {
        double sum = 0;
        for (Map.Entry<String, byte[]> e : store.entries(namespace).entrySet()) {
            if (!e.getKey().startsWith(prefix) || e.getKey().equals(ownKey) || e.getValue().length != 24) {
                continue;
            }
            ByteBuffer value = ByteBuffer.wrap(e.getValue());
            long theirWindow = value.getLong();
            long count = value.getLong();
            long previous = value.getLong();
            if (theirWindow == current) {
                sum += Math.max(count, previous * elapsed);
            } else if (theirWindow == current - 1) {
                sum += count * elapsed; // nothing heard from this window yet: assume the last one's pace
            }
        }
        return sum;
    }
}
