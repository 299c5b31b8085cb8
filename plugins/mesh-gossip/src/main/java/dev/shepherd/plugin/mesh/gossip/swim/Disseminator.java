package dev.shepherd.plugin.mesh.gossip.swim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * SWIM's infection-style broadcast buffer: each update rides on outgoing messages until it has been
 * sent {@code multiplier * ceil(log2(n + 1))} times, which reaches every member with high
 * probability. The least-sent updates go first; a newer update for the same key replaces the older.
 */
public final class Disseminator<T> {

    private final int multiplier;
    private final IntSupplier clusterSize;
    private final int capacity;
    private final Map<String, Item<T>> items = new HashMap<>();
    private long sequence;

    /**
     * @param capacity beyond this many pending updates the most-sent are dropped: anti-entropy still
     *     delivers them, so a write burst cannot grow the buffer without bound
     */
    public Disseminator(int multiplier, IntSupplier clusterSize, int capacity) {
        this.multiplier = multiplier;
        this.clusterSize = clusterSize;
        this.capacity = capacity;
    }

    public synchronized void offer(String key, T update) {
        items.put(key, new Item<>(update, 0, sequence++));
        if (items.size() > capacity) {
            items.values().stream().max(Comparator.comparingInt((Item<T> i) -> i.sent).thenComparingLong(i -> -i.order))
                    .ifPresent(worst -> items.values().remove(worst));
        }
    }

    /** Up to {@code max} updates for one outgoing message, counting this as one transmission of each. */
    public synchronized List<T> take(int max) {
        if (items.isEmpty()) {
            return List.of();
        }
        int limit = transmitLimit();
        List<Map.Entry<String, Item<T>>> chosen = items.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Item<T>> e) -> e.getValue().sent)
                        .thenComparingLong(e -> e.getValue().order))
                .limit(max).toList();
        List<T> out = new ArrayList<>(chosen.size());
        for (Map.Entry<String, Item<T>> e : chosen) {
            Item<T> item = e.getValue();
            out.add(item.update);
            if (item.sent + 1 >= limit) {
                items.remove(e.getKey());
            } else {
                items.put(e.getKey(), new Item<>(item.update, item.sent + 1, item.order));
            }
        }
        return out;
    }

    public synchronized int pending() {
        return items.size();
    }

    int transmitLimit() {
        int n = Math.max(1, clusterSize.getAsInt());
        int log2 = 32 - Integer.numberOfLeadingZeros(n); // ceil(log2(n + 1))
        return Math.max(1, multiplier * log2);
    }

    private record Item<T>(T update, int sent, long order) {
    }
}
