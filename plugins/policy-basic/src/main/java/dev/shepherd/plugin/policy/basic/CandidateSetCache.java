package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Memoises something derived from a candidate list (a hash ring, an id index, a bucket layout) so it is
 * built once per membership, not per request.
 *
 * <p>The kernel hands policies copy-on-write snapshots, so the same list instance usually comes back
 * request after request: that is an identity check. A different instance with the same worker ids in
 * the same order (a fresh snapshot after an unrelated registry change) is recognised by comparing ids,
 * O(n) once, after which the new instance takes the identity fast path too. Values are built with
 * positions into the list, and an exact id match guarantees those positions mean the same workers.
 *
 * <p>A few recent memberships are kept ({@value #CAPACITY}), least recently used evicted first, because
 * a retry's list, the usual one minus the worker that failed, must not evict the usual one. The
 * recency order is only rewritten when it changes, so the steady state (one membership, at the front)
 * reads without writing. Lock-free: concurrent misses may build the same value twice and one of them
 * wins, which is harmless.
 *
 * @param <T> the derived value; immutable or itself thread-safe
 */
final class CandidateSetCache<T> {

    private static final int CAPACITY = 4;

    private final Function<List<Worker>, T> derive;
    private final AtomicReference<List<Entry<T>>> entries = new AtomicReference<>(List.of());
    private final LongAdder builds = new LongAdder();

    CandidateSetCache(Function<List<Worker>, T> derive) {
        this.derive = derive;
    }

    /** The value for {@code candidates}, built on the first sight of their membership. */
    T get(List<Worker> candidates) {
        List<Entry<T>> current = entries.get();
        for (int i = 0; i < current.size(); i++) {
            Entry<T> entry = current.get(i);
            if (entry.source == candidates) {
                if (i > 0) {
                    remember(entry); // back to the front, so the usual membership is the last evicted
                }
                return entry.value;
            }
        }
        for (Entry<T> entry : current) {
            if (entry.hasSameMembers(candidates)) {
                remember(new Entry<>(candidates, entry.ids, entry.value));
                return entry.value;
            }
        }
        T value = derive.apply(candidates);
        builds.increment();
        remember(new Entry<>(candidates, idsOf(candidates), value));
        return value;
    }

    /** The cached values, most recently used first. */
    List<T> values() {
        return entries.get().stream().map(entry -> entry.value).toList();
    }

    /** Drops every value built over a list holding {@code workerId}, so a removed worker is not kept alive. */
    void forget(String workerId) {
        entries.updateAndGet(list -> list.stream().filter(entry -> !entry.holds(workerId)).toList());
    }

    /** How many values were built: lets tests prove values are not rebuilt per request. */
    long builds() {
        return builds.sum();
    }

    private void remember(Entry<T> fresh) {
        entries.updateAndGet(list -> {
            List<Entry<T>> next = new ArrayList<>(CAPACITY);
            next.add(fresh);
            for (Entry<T> entry : list) {
                if (next.size() == CAPACITY) {
                    break;
                }
                if (entry.value != fresh.value) {
                    next.add(entry);
                }
            }
            return List.copyOf(next);
        });
    }

    private static String[] idsOf(List<Worker> workers) {
        String[] ids = new String[workers.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = workers.get(i).id();
        }
        return ids;
    }

    private record Entry<T>(List<Worker> source, String[] ids, T value) {

        boolean hasSameMembers(List<Worker> candidates) {
            if (candidates.size() != ids.length) {
                return false;
            }
            for (int i = 0; i < ids.length; i++) {
                if (!ids[i].equals(candidates.get(i).id())) {
                    return false;
                }
            }
            return true;
        }

        boolean holds(String workerId) {
            for (String id : ids) {
                if (id.equals(workerId)) {
                    return true;
                }
            }
            return false;
        }
    }
}
