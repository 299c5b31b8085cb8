package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerLoad;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SMG's {@code power_of_two}: sample two distinct candidates and take the less loaded. Two random
 * choices already avoid the worst of random placement at O(1) cost, whatever the fleet size.
 *
 * <p>Load is the gateway's live in-flight count, ties broken by queued prompt tokens; on a full tie
 * the first sample wins (it is random anyway). SMG compares engine-reported KV usage when both workers
 * have a report; here the in-flight count is live rather than polled every 10 s, which suits a
 * two-way comparison better.
 */
public final class PowerOfTwoPolicy implements Policy {

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        int n = candidates.size();
        if (n == 1) {
            return Optional.of(candidates.get(0));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int first = random.nextInt(n);
        // SMG's trick for a distinct second index without retrying: an offset in [1, n-1].
        int second = (first + 1 + random.nextInt(n - 1)) % n;
        Worker a = candidates.get(first);
        Worker b = candidates.get(second);
        return Optional.of(isMoreLoaded(a.load(), b.load()) ? b : a);
    }

    /** True when {@code a} carries strictly more load than {@code b}. */
    static boolean isMoreLoaded(WorkerLoad a, WorkerLoad b) {
        int inFlightA = a.inFlight();
        int inFlightB = b.inFlight();
        if (inFlightA != inFlightB) {
            return inFlightA > inFlightB;
        }
        return a.queuedPromptTokens() > b.queuedPromptTokens();
    }
}
