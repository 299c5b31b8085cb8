package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;

/**
 * SMG's {@code prefix_hash}: requests whose prompts start with the same {@code prefix_token_count}
 * tokens (see {@link PromptPrefix}) go to the same worker, where that prefix is likely still in the KV
 * cache, using consistent hashing with bounded loads.
 *
 * <p>The prefix's hash is looked up on a {@link HashRing} over the candidates. If that worker's
 * in-flight count exceeds {@code load_factor × (mean in-flight + 1)}, the ring is walked clockwise to
 * the next worker under the bound: the same overflow worker for the same prefix each time, so a hot
 * prefix spills onto a second cache rather than onto all of them. The walk is capped at
 * {@value #MAX_WALK_POINTS} ring points; if none is under the bound, the least loaded worker seen wins.
 * (SMG's fall-back is the globally least loaded under-bound worker; walking keeps the spill
 * deterministic and the cost bounded.) The mean is exact up to {@value FleetLoad#EXACT_LIMIT}
 * candidates and sampled above ({@link FleetLoad}).
 *
 * <p>A request without routing text (SMG: without tokens) has no prefix; instead of refusing it, as
 * SMG does, it is placed by {@link PowerOfTwoPolicy}.
 */
public final class PrefixHashPolicy implements Policy {

    static final int MAX_WALK_POINTS = 512;

    /** The {@code branch} label values of {@code smg_prefix_hash_policy_branch_total}. */
    enum Branch { RING_HIT, LOAD_BALANCE_WALK, FALLBACK_LEAST_LOAD, NO_PROMPT }

    private final int prefixTokenCount;
    private final double loadFactor;
    private final CandidateSetCache<HashRing> rings = new CandidateSetCache<>(HashRing::over);
    private final PowerOfTwoPolicy withoutPrompt = new PowerOfTwoPolicy();
    private final BranchCounters<Branch> branches;

    public PrefixHashPolicy(PrefixHashPolicyConfig config, MeterRegistry meterRegistry) {
        this.prefixTokenCount = config.prefixTokenCount();
        this.loadFactor = config.loadFactor();
        this.branches = new BranchCounters<>(meterRegistry, "smg_prefix_hash_policy_branch_total",
                "Routing decisions of the prefix_hash policy, by branch", Branch.class);
    }

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        String text = request.parsed().routingText();
        if (text == null || text.isEmpty()) {
            branches.record(Branch.NO_PROMPT);
            return withoutPrompt.select(candidates, request);
        }
        if (candidates.size() == 1) {
            branches.record(Branch.RING_HIT);
            return Optional.of(candidates.get(0));
        }
        long prefixHash = RingHash.of(text, 0, PromptPrefix.end(text, prefixTokenCount));
        HashRing ring = rings.get(candidates);
        double bound = loadFactor * (FleetLoad.meanInFlight(candidates) + 1);

        int pointIndex = ring.pointIndexFor(prefixHash);
        int home = ring.positionAt(pointIndex);
        int homeLoad = candidates.get(home).load().inFlight();
        if (homeLoad <= bound) {
            branches.record(Branch.RING_HIT);
            return Optional.of(candidates.get(home));
        }
        int leastLoaded = home;
        int leastLoad = homeLoad;
        int steps = Math.min(ring.pointCount(), MAX_WALK_POINTS);
        for (int step = 1; step < steps; step++) {
            pointIndex = ring.nextPointIndex(pointIndex);
            int position = ring.positionAt(pointIndex);
            if (position == home) {
                continue;
            }
            int load = candidates.get(position).load().inFlight();
            if (load <= bound) {
                branches.record(Branch.LOAD_BALANCE_WALK);
                return Optional.of(candidates.get(position));
            }
            if (load < leastLoad) {
                leastLoaded = position;
                leastLoad = load;
            }
        }
        branches.record(Branch.FALLBACK_LEAST_LOAD);
        return Optional.of(candidates.get(leastLoaded));
    }

    @Override
    public void onWorkerRemoved(Worker worker) {
        rings.forget(worker.id());
    }
}
