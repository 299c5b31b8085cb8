package dev.shepherd.plugin.policy.cacheaware.bench;

import dev.shepherd.plugin.policy.basic.ConsistentHashingPolicyFactory;
import dev.shepherd.plugin.policy.basic.LeastLoadPolicyFactory;
import dev.shepherd.plugin.policy.basic.PowerOfTwoPolicyFactory;
import dev.shepherd.plugin.policy.basic.PrefixHashPolicyFactory;
import dev.shepherd.plugin.policy.basic.RandomPolicyFactory;
import dev.shepherd.plugin.policy.basic.RoundRobinPolicyFactory;
import dev.shepherd.plugin.policy.cacheaware.CacheAwarePolicyFactory;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time of one {@code Policy.select} on a warm policy: {@code workers} candidates with fixed, mildly
 * uneven loads, and a pool of 512 chat-like prompts of {@code promptChars} characters in 16 groups that
 * share a system prompt (half the text), each already routed once, so the tree holds every prompt and
 * each select matches, decides and re-records a whole prompt, as a steady stream of repeated and
 * continued conversations does. Sampled, so p50/p99 are reported. Run by {@link RoutingBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class DecisionLatencyBenchmark {

    static final int POOL = 512;

    /** {@code cache_aware} (Shepherd's defaults), {@code cache_aware_smg} (every Shepherd key off), or a policy-basic name. */
    @Param({"cache_aware"})
    public String policy;

    @Param({"4", "16", "64"})
    public int workers;

    @Param({"1000", "8000", "32000"})
    public int promptChars;

    private BenchFixtures.BenchContext context;
    private Policy instance;
    private List<Worker> fleet;
    private GatewayRequest[] requests;

    @Setup(Level.Trial)
    public void setUp() {
        context = new BenchFixtures.BenchContext();
        instance = switch (policy) {
            case "cache_aware" -> BenchFixtures.create(new CacheAwarePolicyFactory(), "{}", context);
            case "cache_aware_smg" -> BenchFixtures.create(new CacheAwarePolicyFactory(),
                    "{\"affinity_load_factor\":0,\"queued_tokens_per_request\":0,\"kv_high_watermark\":1}", context);
            case "round_robin" -> BenchFixtures.create(new RoundRobinPolicyFactory(), "{}", context);
            case "random" -> BenchFixtures.create(new RandomPolicyFactory(), "{}", context);
            case "power_of_two" -> BenchFixtures.create(new PowerOfTwoPolicyFactory(), "{}", context);
            case "least_load" -> BenchFixtures.create(new LeastLoadPolicyFactory(), "{}", context);
            case "consistent_hashing" -> BenchFixtures.create(new ConsistentHashingPolicyFactory(), "{}", context);
            case "prefix_hash" -> BenchFixtures.create(new PrefixHashPolicyFactory(), "{}", context);
            default -> throw new IllegalArgumentException("unknown policy " + policy);
        };
        fleet = BenchFixtures.fleet(workers, 7);
        List<String> prompts = BenchFixtures.prompts(POOL, 16, promptChars, 11);
        requests = new GatewayRequest[POOL];
        for (int i = 0; i < POOL; i++) {
            requests[i] = BenchFixtures.request(prompts.get(i));
            instance.select(fleet, requests[i]); // warm: the tree holds every prompt
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (instance instanceof AutoCloseable closeable) {
            closeable.close();
        }
        context.close();
    }

    /** Per-thread position in the prompt pool, so threads do not share a counter. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().threadId() * 7919);
    }

    @Benchmark
    public Object select(Cursor cursor) {
        GatewayRequest request = requests[(cursor.next++ & Integer.MAX_VALUE) % POOL];
        return instance.select(fleet, request);
    }
}
