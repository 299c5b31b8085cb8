package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMG's {@code consistent_hashing}: the same key always reaches the same worker while the fleet is
 * unchanged, and a fleet change of one worker out of N moves only about 1/N of the keys.
 *
 * <p>In order: {@code X-SMG-Target-Worker: <index>} picks that index of the candidate list, or refuses
 * when it is out of range (SMG's contract: no fall-back, the client asked for that worker; a value that
 * is not an integer is ignored); otherwise
 * the request's {@link AffinityKey} is looked up on a {@link HashRing} over the candidates; a request
 * with no key at all goes to a random candidate.
 *
 * <p>The ring is built from the candidate list itself, so unavailable workers are simply absent and a
 * key whose worker is down falls to the next worker clockwise, as SMG's walk does. Rings are cached per
 * membership ({@link CandidateSetCache}); a lookup is a binary search, O(log n).
 */
public final class ConsistentHashingPolicy implements Policy {

    static final String TARGET_WORKER_HEADER = "x-smg-target-worker";

    private static final Logger LOG = LoggerFactory.getLogger(ConsistentHashingPolicy.class);
    private static final int NO_TARGET = Integer.MIN_VALUE;

    /** The {@code branch} label values of {@code smg_consistent_hashing_policy_branch_total}. */
    enum Branch { TARGET_WORKER_HIT, TARGET_WORKER_MISS, ROUTING_KEY_HIT, IMPLICIT_KEY_HIT, RANDOM_FALLBACK }

    private final CandidateSetCache<HashRing> rings = new CandidateSetCache<>(HashRing::over);
    private final BranchCounters<Branch> branches;

    public ConsistentHashingPolicy(MeterRegistry meterRegistry) {
        this.branches = new BranchCounters<>(meterRegistry, "smg_consistent_hashing_policy_branch_total",
                "Routing decisions of the consistent_hashing policy, by branch", Branch.class);
    }

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        int target = targetIndex(request);
        if (target != NO_TARGET) {
            boolean inRange = target >= 0 && target < candidates.size();
            branches.record(inRange ? Branch.TARGET_WORKER_HIT : Branch.TARGET_WORKER_MISS);
            return inRange ? Optional.of(candidates.get(target)) : Optional.empty();
        }
        AffinityKey key = AffinityKey.of(request);
        if (key == null) {
            branches.record(Branch.RANDOM_FALLBACK);
            return Optional.of(candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())));
        }
        branches.record(key.source() == AffinityKey.Source.ROUTING_KEY ? Branch.ROUTING_KEY_HIT : Branch.IMPLICIT_KEY_HIT);
        return Optional.of(candidates.get(rings.get(candidates).positionFor(key.hash())));
    }

    @Override
    public void onWorkerRemoved(Worker worker) {
        rings.forget(worker.id());
    }

    /** Rings built so far; lets tests prove a ring is not rebuilt per request. */
    long ringBuilds() {
        return rings.builds();
    }

    /** The index the client targeted, or {@link #NO_TARGET}; a value that is no integer is ignored. */
    private static int targetIndex(GatewayRequest request) {
        String header = request.headers().first(TARGET_WORKER_HEADER);
        if (header == null) {
            return NO_TARGET;
        }
        try {
            return Integer.parseInt(header.strip());
        } catch (NumberFormatException notAnIndex) {
            LOG.debug("ignoring {} header that is not an index: {}", TARGET_WORKER_HEADER, header);
            return NO_TARGET;
        }
    }
}
