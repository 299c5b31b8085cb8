package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerLoad;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * SMG's {@code least_load}: the candidate with the least estimated queued work, in seconds.
 *
 * <pre>
 * seconds = (queuedPromptTokens + inFlight × mean_prefill_tokens) / default_throughput
 *         + kv_pressure_weight × k / (1 − k)        k = min(kvCacheUsage, 0.999), or 0 when unknown
 * </pre>
 *
 * Why this shape: SMG divides waiting tokens by the engine's throughput, and charges each request it
 * dispatched but cannot size {@code mean_prefill_tokens}. The gateway's own {@link WorkerLoad} is live,
 * so every in-flight request is charged that mean (it occupies a batch slot whatever its size), and
 * prompt tokens known to be still waiting for their first token are added at their real size, because
 * a long prompt in prefill delays everything queued behind it. The KV term is SMG's: it grows slowly
 * while the cache has room and steeply as it fills (0.15 s at half full, 1.35 s at 90 %, capped near
 * 150 s), steering work away from a worker about to preempt or swap. Workers report no throughput
 * through the SPI, so {@code default_throughput} is the divisor for all of them, which keeps scores
 * comparable across the fleet.
 *
 * <p>O(n) in the candidates: finding a minimum needs every score. Ties go to a random one of the tied
 * workers. Use {@code power_of_two} when the fleet is large and an O(1) choice is preferred.
 */
public final class LeastLoadPolicy implements Policy {

    /** SMG's clamp: keeps {@code k/(1-k)} finite when a worker reports a full cache. */
    static final double MAX_KV_USAGE = 0.999;

    private final double kvPressureWeight;
    private final double throughput;
    private final double meanPrefillTokens;
    private final ToDoubleFunction<Worker> score = worker -> estimatedSeconds(worker.load());

    public LeastLoadPolicy(LeastLoadPolicyConfig config) {
        this.kvPressureWeight = config.kvPressureWeight();
        this.throughput = config.defaultThroughput();
        this.meanPrefillTokens = config.meanPrefillTokens();
    }

    /** The workers' KV-cache usage weighs in every decision. */
    @Override
    public boolean readsLoadReports() {
        return true;
    }

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        if (candidates.size() == 1) {
            return Optional.of(candidates.get(0));
        }
        return Optional.of(candidates.get(LowestScore.positionOf(candidates, score)));
    }

    /** The estimated seconds of work queued on a worker with {@code load}. */
    double estimatedSeconds(WorkerLoad load) {
        double tokens = load.queuedPromptTokens() + load.inFlight() * meanPrefillTokens;
        return tokens / throughput + kvPressureSeconds(load.kvCacheUsage());
    }

    private double kvPressureSeconds(double kvCacheUsage) {
        if (kvCacheUsage <= 0 || Double.isNaN(kvCacheUsage)) {
            return 0; // unknown (-1) or empty: no pressure
        }
        double k = Math.min(kvCacheUsage, MAX_KV_USAGE);
        return kvPressureWeight * k / (1 - k);
    }
}
