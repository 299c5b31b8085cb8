package dev.shepherd.kernel.admission;

import dev.shepherd.spi.state.StateStore;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A request rate shared by every node of a mesh, counted in one-second windows. Each node publishes
 * its own count for the current window, and its count for the window before, under its own key (one
 * key per node, so nothing accumulates). The others' counts arrive by gossip a few hundred
 * milliseconds late, so a node reserves each other node the larger of what it has seen this window
 * and that node's count in the window before, and admits a request while its own count stays within
 * what is left, or within its fair share ({@code limit / active nodes}) when that is larger. Under
 * steady load, even load that saturates every node, the cluster then admits the limit; when the load
 * moves between nodes, or in the first window of a burst (nobody has a count to go by yet), it can
 * admit up to about one limit more for a window. A node that goes quiet keeps its share reserved
 * for one window. It is a budget, not an exact quota.
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
        if (ownCount + 1 > allowance(current)) {
            return TimeUnit.MILLISECONDS.toNanos(1000 - now % 1000);
        }
        ownCount++;
        store.put(namespace, ownKey,
                ByteBuffer.allocate(24).putLong(current).putLong(ownCount).putLong(ownPrevious).array());
        return 0;
    }

    /**
     * How many requests this node may admit in this window: what the others have not taken, or its
     * fair share when that is more. The others are reserved at least their last window's count for
     * the whole window, since a busy node spends its share within milliseconds of the window's
     * start, long before gossip brings its new count. The fair share (never more than the others are
     * not known to have spent already) keeps a node from being starved
     * by one that took the whole budget the window before; it costs at most one window's overshoot
     * while shares settle.
     */
    private double allowance(long current) {
        double seen = 0; // the others' counts for this window: spent for sure
        double reserved = 0; // what they may still spend, going by their last window
        int active = 1;
        for (Map.Entry<String, byte[]> e : store.entries(namespace).entrySet()) {
            if (!e.getKey().startsWith(prefix) || e.getKey().equals(ownKey) || e.getValue().length != 24) {
                continue;
            }
            ByteBuffer value = ByteBuffer.wrap(e.getValue());
            long theirWindow = value.getLong();
            long count = value.getLong();
            long previous = value.getLong();
            if (theirWindow == current) {
                seen += count;
                reserved += Math.max(0, previous - count);
                active++;
            } else if (theirWindow == current - 1) {
                reserved += count; // nothing heard from this window yet: assume the last one's count
                active++;
            }
        }
        // The fair share may override a reservation, never what is known to be spent.
        return Math.max(perSecond - seen - reserved, Math.min(perSecond / active, perSecond - seen));
    }
}
