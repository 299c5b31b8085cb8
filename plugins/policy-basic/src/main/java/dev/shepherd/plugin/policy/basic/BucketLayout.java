package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.worker.Worker;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * The {@code bucket} policy's view of one candidate membership: the workers ranked by id (bucket i
 * belongs to the worker of rank i, whatever order the kernel lists them in) and the characters each was
 * sent in the current balance window.
 *
 * <p>The window has two generations, the current interval and the previous one, swapped as a unit by
 * {@link #slide()}; a worker's recent characters are their sum, so the window spans one to two
 * intervals, as SMG's sliding window spans one. A count added to a generation just as it is retired is
 * lost, which a balance heuristic can afford.
 */
final class BucketLayout {

    private final int[] positionByRank;
    private volatile Window window;

    private BucketLayout(int[] positionByRank) {
        this.positionByRank = positionByRank;
        this.window = new Window(new AtomicLongArray(positionByRank.length), new AtomicLongArray(positionByRank.length));
    }

    static BucketLayout of(List<Worker> candidates) {
        int[] byId = IntStream.range(0, candidates.size())
                .boxed()
                .sorted(Comparator.comparing(position -> candidates.get(position).id()))
                .mapToInt(Integer::intValue)
                .toArray();
        return new BucketLayout(byId);
    }

    int size() {
        return positionByRank.length;
    }

    /** The candidate position of the worker with {@code rank}. */
    int positionOf(int rank) {
        return positionByRank[rank];
    }

    void recordChars(int rank, int chars) {
        window.current.addAndGet(rank, chars);
    }

    long recentChars(int rank) {
        Window w = window;
        return w.current.get(rank) + w.previous.get(rank);
    }

    /**
     * SMG's imbalance test over the window: when the busiest and quietest workers differ by more than
     * {@code absThreshold} characters and by more than {@code relThreshold} times, the rank of the
     * quietest (which should take the request); otherwise -1.
     */
    int rankToRelieve(long absThreshold, double relThreshold) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int quietest = 0;
        for (int rank = 0; rank < positionByRank.length; rank++) {
            long chars = recentChars(rank);
            if (chars < min) {
                min = chars;
                quietest = rank;
            }
            max = Math.max(max, chars);
        }
        return max - min > absThreshold && max > relThreshold * min ? quietest : -1;
    }

    /** The rank among {@code [from, to)} that received the fewest characters in the window. */
    int quietestRank(int from, int to) {
        int quietest = from;
        long fewest = recentChars(from);
        for (int rank = from + 1; rank < to; rank++) {
            long chars = recentChars(rank);
            if (chars < fewest) {
                quietest = rank;
                fewest = chars;
            }
        }
        return quietest;
    }

    /** Starts a new interval: the current generation becomes the previous one. */
    void slide() {
        window = new Window(new AtomicLongArray(positionByRank.length), window.current);
    }

    private record Window(AtomicLongArray current, AtomicLongArray previous) {
    }
}
