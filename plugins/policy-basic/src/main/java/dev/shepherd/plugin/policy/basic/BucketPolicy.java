package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMG's {@code bucket}: PD prefill length bucketing. Each worker, ranked by id, owns a range of prompt
 * lengths (characters of the routing text), so a prefill worker batches prompts of similar length and
 * long prompts do not stall short ones.
 *
 * <p>Per request: the length picks a bucket by binary search over the cut points, unless the balance
 * window is imbalanced ({@link BucketLayout#rankToRelieve}), in which case the worker that received the
 * fewest characters takes it; the characters are then credited to the chosen worker.
 *
 * <p>Boundaries are either configured ({@code boundaries}: B buckets spread over the n ranked workers,
 * several buckets per worker when n &lt; B, several workers per bucket when n &gt; B, the quietest of
 * them taking the request) or learned, as in SMG: one bucket per worker, {@code [0, initial_max_length)}
 * split evenly until traffic has been seen, then recomputed every {@code adjust_interval_secs} from a
 * {@link LengthHistogram} so that each bucket receives about the same number of characters. The same
 * tick slides the balance window. (SMG only rebuilds when the per-bucket load changed over 2×; here the
 * histogram decays by half per interval, which damps changes instead.)
 *
 * <p>Cost: O(log B) for the bucket plus O(n) for the imbalance test, which like SMG's looks at every
 * worker; prefill pools are small.
 */
public final class BucketPolicy implements Policy, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BucketPolicy.class);

    private final int[] configuredCuts; // null when boundaries are learned
    private final int initialMaxLength;
    private final long balanceAbsThreshold;
    private final double balanceRelThreshold;
    private final CandidateSetCache<BucketLayout> layouts = new CandidateSetCache<>(BucketLayout::of);
    private final LengthHistogram lengths = new LengthHistogram();
    private final AtomicReference<Cuts> learnedCuts = new AtomicReference<>();
    private final AtomicReference<Cuts> evenCuts = new AtomicReference<>();
    private final ScheduledFuture<?> adjuster;

    public BucketPolicy(BucketPolicyConfig config, ScheduledExecutorService scheduler) {
        this.configuredCuts = config.learnsBoundaries() ? null
                : config.boundaries().stream().mapToInt(Integer::intValue).toArray();
        this.initialMaxLength = config.initialMaxLength();
        this.balanceAbsThreshold = config.balanceAbsThreshold();
        this.balanceRelThreshold = config.balanceRelThreshold();
        long interval = config.adjustIntervalSecs();
        this.adjuster = scheduler.scheduleWithFixedDelay(this::adjustSafely, interval, interval, TimeUnit.SECONDS);
    }

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        if (candidates.size() == 1) {
            return Optional.of(candidates.get(0));
        }
        String text = request.parsed().routingText();
        int length = text == null ? 0 : text.length();
        if (configuredCuts == null) {
            lengths.record(length);
        }
        BucketLayout layout = layouts.get(candidates);
        int rank = layout.rankToRelieve(balanceAbsThreshold, balanceRelThreshold);
        if (rank < 0) {
            rank = rankFor(length, layout);
        }
        layout.recordChars(rank, length);
        return Optional.of(candidates.get(layout.positionOf(rank)));
    }

    @Override
    public void onWorkerRemoved(Worker worker) {
        layouts.forget(worker.id());
    }

    /**
     * The periodic step: slides every layout's balance window and, when boundaries are learned,
     * recomputes them for the most recently used membership's worker count.
     */
    void adjust() {
        List<BucketLayout> current = layouts.values();
        current.forEach(BucketLayout::slide);
        if (configuredCuts != null || current.isEmpty()) {
            return;
        }
        int workers = current.get(0).size();
        int[] cuts = lengths.cutPoints(workers);
        lengths.decay();
        if (cuts != null) {
            learnedCuts.set(new Cuts(workers, cuts));
            LOG.debug("bucket boundaries for {} workers now {}", workers, Arrays.toString(cuts));
        }
    }

    /** The cut points in use for {@code workers} workers when boundaries are learned. */
    int[] learnedCutsFor(int workers) {
        Cuts learned = learnedCuts.get();
        if (learned != null && learned.bucketCount == workers) {
            return learned.cuts;
        }
        Cuts even = evenCuts.get();
        if (even == null || even.bucketCount != workers) {
            even = Cuts.even(workers, initialMaxLength);
            evenCuts.set(even);
        }
        return even.cuts;
    }

    @Override
    public void close() {
        adjuster.cancel(false);
    }

    private int rankFor(int length, BucketLayout layout) {
        int workers = layout.size();
        if (configuredCuts == null) {
            return bucketOf(learnedCutsFor(workers), length);
        }
        int buckets = configuredCuts.length + 1;
        int bucket = bucketOf(configuredCuts, length);
        int from = (int) ((long) bucket * workers / buckets);
        int to = Math.max(from + 1, (int) ((long) (bucket + 1) * workers / buckets));
        return to - from == 1 ? from : layout.quietestRank(from, to);
    }

    /** The number of cut points at or below {@code length}: the bucket it falls in. */
    static int bucketOf(int[] cuts, int length) {
        int low = 0;
        int high = cuts.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cuts[mid] <= length) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void adjustSafely() {
        try {
            adjust();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and keep adjusting.
            LOG.warn("bucket policy adjustment failed", e);
        }
    }

    /** Cut points for a number of buckets: bucket i holds lengths in {@code [cuts[i-1], cuts[i])}. */
    private record Cuts(int bucketCount, int[] cuts) {

        /** SMG's initial layout: {@code [0, maxLength)} in equal gaps, the last bucket open-ended. */
        static Cuts even(int bucketCount, int maxLength) {
            int gap = Math.max(1, maxLength / bucketCount);
            int[] cuts = new int[bucketCount - 1];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = (i + 1) * gap;
            }
            return new Cuts(bucketCount, cuts);
        }
    }
}
