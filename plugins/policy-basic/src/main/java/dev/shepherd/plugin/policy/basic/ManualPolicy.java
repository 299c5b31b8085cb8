package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMG's {@code manual} (sticky) policy: each {@code X-SMG-Routing-Key} is pinned to a worker the first
 * time it is seen and stays there until it has been idle for {@code max_idle_secs}. A new key is placed
 * by the {@link AssignmentMode}; a request without a key is not remembered and goes to a random worker
 * (the least loaded under {@code min_load}).
 *
 * <p>When a key's worker is no longer a candidate (removed, unhealthy, circuit open, or already failed
 * this request) the key is reassigned, keeping the old worker first in its {@link StickyAssignment} so
 * it comes back on recovery. Adding a worker moves no existing key (SMG: zero redistribution).
 *
 * <p>Hot path: a hit is a lock-free table read, an id lookup in a per-membership index and a volatile
 * store of the access time. Only a new or reassigned key takes {@link ConcurrentHashMap#compute}'s lock
 * on its one bin. Idle keys are dropped by a sweep every {@code eviction_interval_secs} on the kernel's
 * scheduler, and lazily when a request finds its key idle; both use the context's clock.
 */
public final class ManualPolicy implements Policy, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManualPolicy.class);

    /** The {@code branch} label values of {@code smg_manual_policy_branch_total}, as SMG's. */
    enum Branch { HIT, OCCUPIED_MISS, VACANT, NO_ROUTING_ID }

    private final AssignmentMode assignmentMode;
    private final long maxIdleMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, StickyAssignment> assignments = new ConcurrentHashMap<>();
    /** Sticky keys per worker id, for {@link AssignmentMode#MIN_GROUP}. */
    private final ConcurrentHashMap<String, AtomicInteger> keysPerWorker = new ConcurrentHashMap<>();
    private final CandidateSetCache<Map<String, Integer>> positionsById = new CandidateSetCache<>(ManualPolicy::indexById);
    private final ToDoubleFunction<Worker> inFlight = worker -> worker.load().inFlight();
    private final ToDoubleFunction<Worker> stickyKeys = worker -> keyCount(worker.id());
    private final BranchCounters<Branch> branches;
    private final ScheduledFuture<?> sweeper;

    public ManualPolicy(ManualPolicyConfig config, Clock clock, ScheduledExecutorService scheduler,
                        MeterRegistry meterRegistry) {
        this.assignmentMode = config.assignmentMode();
        this.maxIdleMillis = TimeUnit.SECONDS.toMillis(config.maxIdleSecs());
        this.clock = clock;
        this.branches = new BranchCounters<>(meterRegistry, "smg_manual_policy_branch_total",
                "Routing decisions of the manual policy, by branch", Branch.class);
        long interval = config.evictionIntervalSecs();
        this.sweeper = scheduler.scheduleWithFixedDelay(this::sweepIdleSafely, interval, interval, TimeUnit.SECONDS);
    }

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        String key = request.routingKey().filter(value -> !value.isBlank()).orElse(null);
        if (key == null) {
            branches.record(Branch.NO_ROUTING_ID);
            return Optional.of(candidates.get(placeWithoutKey(candidates)));
        }
        long now = clock.millis();
        Map<String, Integer> positions = positionsById.get(candidates);
        StickyAssignment current = assignments.get(key);
        if (current != null && !current.isIdle(now, maxIdleMillis)) {
            Worker sticky = firstCandidate(current, positions, candidates);
            if (sticky != null) {
                current.touch(now);
                branches.record(Branch.HIT);
                return Optional.of(sticky);
            }
        }
        return Optional.of(reassign(key, now, positions, candidates));
    }

    /** Takes the key's bin lock: a concurrent request for the same key either sees this result or makes it. */
    private Worker reassign(String key, long now, Map<String, Integer> positions, List<Worker> candidates) {
        Worker[] chosen = new Worker[1];
        Branch[] branch = new Branch[1];
        assignments.compute(key, (k, current) -> {
            if (current != null && current.isIdle(now, maxIdleMillis)) {
                release(current.workerIds());
                current = null;
            }
            if (current != null) {
                Worker sticky = firstCandidate(current, positions, candidates);
                if (sticky != null) { // another thread reassigned it meanwhile
                    current.touch(now);
                    chosen[0] = sticky;
                    branch[0] = Branch.HIT;
                    return current;
                }
            }
            Worker assigned = candidates.get(assign(candidates));
            chosen[0] = assigned;
            acquire(assigned.id());
            if (current == null) {
                branch[0] = Branch.VACANT;
                return new StickyAssignment(List.of(assigned.id()), now);
            }
            branch[0] = Branch.OCCUPIED_MISS;
            String displaced = current.displacedBy();
            if (displaced != null) {
                release(List.of(displaced));
            }
            return current.with(assigned.id(), now);
        });
        branches.record(branch[0]);
        return chosen[0];
    }

    @Override
    public void onWorkerRemoved(Worker worker) {
        String id = worker.id();
        keysPerWorker.remove(id);
        positionsById.forget(id);
        for (Map.Entry<String, StickyAssignment> entry : assignments.entrySet()) {
            if (entry.getValue().holds(id)) {
                assignments.computeIfPresent(entry.getKey(), (key, assignment) -> assignment.without(id));
            }
        }
    }

    /** Forgets every key idle for {@code max_idle_secs} or longer; run by the scheduler. */
    void sweepIdle() {
        long now = clock.millis();
        int evicted = 0;
        for (Map.Entry<String, StickyAssignment> entry : assignments.entrySet()) {
            StickyAssignment assignment = entry.getValue();
            if (assignment.isIdle(now, maxIdleMillis) && assignments.remove(entry.getKey(), assignment)) {
                release(assignment.workerIds());
                evicted++;
            }
        }
        if (evicted > 0) {
            LOG.debug("manual policy evicted {} idle routing keys; {} remain", evicted, assignments.size());
        }
    }

    /** The number of routing keys currently remembered. */
    int stickyKeyCount() {
        return assignments.size();
    }

    /** The number of routing keys pinned to {@code workerId}. */
    int keyCount(String workerId) {
        AtomicInteger count = keysPerWorker.get(workerId);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        sweeper.cancel(false);
    }

    private void sweepIdleSafely() {
        try {
            sweepIdle();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and keep sweeping.
            LOG.warn("manual policy idle sweep failed", e);
        }
    }

    /**
     * Where a request without a key goes: by load under {@code min_load}, otherwise at random. SMG uses
     * the assignment mode, but {@code min_group} counts keys and an unkeyed request adds none, so every
     * such request would pile onto the same worker until keys moved the minimum.
     */
    private int placeWithoutKey(List<Worker> candidates) {
        return assignmentMode == AssignmentMode.MIN_LOAD
                ? LowestScore.positionOf(candidates, inFlight)
                : ThreadLocalRandom.current().nextInt(candidates.size());
    }

    private int assign(List<Worker> candidates) {
        return switch (assignmentMode) {
            case RANDOM -> ThreadLocalRandom.current().nextInt(candidates.size());
            case MIN_LOAD -> LowestScore.positionOf(candidates, inFlight);
            case MIN_GROUP -> LowestScore.positionOf(candidates, stickyKeys);
        };
    }

    private void acquire(String workerId) {
        keysPerWorker.computeIfAbsent(workerId, id -> new AtomicInteger()).incrementAndGet();
    }

    private void release(List<String> workerIds) {
        for (String id : workerIds) {
            AtomicInteger count = keysPerWorker.get(id);
            if (count != null) {
                count.decrementAndGet();
            }
        }
    }

    private static Worker firstCandidate(StickyAssignment assignment, Map<String, Integer> positions,
                                         List<Worker> candidates) {
        for (String id : assignment.workerIds()) {
            Integer position = positions.get(id);
            if (position != null) {
                return candidates.get(position);
            }
        }
        return null;
    }

    private static Map<String, Integer> indexById(List<Worker> candidates) {
        Map<String, Integer> positions = HashMap.newHashMap(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            positions.put(candidates.get(i).id(), i);
        }
        return Map.copyOf(positions);
    }
}
