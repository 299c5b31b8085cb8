package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import dev.shepherd.spi.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Many threads selecting at once, as the kernel's I/O threads do. */
class PolicyConcurrencyTest {

    private static final int THREADS = 8;
    private static final int SELECTS_PER_THREAD = 5_000;

    private final TestPluginContext context = new TestPluginContext();
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private final List<Worker> fleet = FakeWorker.fleet(16);

    @AfterEach
    void close() {
        threads.shutdownNow();
        context.close();
    }

    static Stream<PolicyFactory<?>> factories() {
        return Stream.of(new RoundRobinPolicyFactory(), new RandomPolicyFactory(), new PowerOfTwoPolicyFactory(),
                new LeastLoadPolicyFactory(), new ConsistentHashingPolicyFactory(), new PrefixHashPolicyFactory(),
                new BucketPolicyFactory(), new ManualPolicyFactory(), new PassthroughPolicyFactory());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("factories")
    void selectsOnlyCandidatesUnderConcurrentLoadAndMembershipChanges(PolicyFactory<?> factory) throws Exception {
        Policy policy = create(factory);
        List<Worker> retryList = fleet.subList(1, fleet.size());
        // Built up front so the threads spend their time in the policy, not in building requests.
        List<GatewayRequest> requests = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            requests.add(FakeRequest.withText("prompt " + i + " and the rest").header("X-SMG-Routing-Key", "key-" + i));
        }
        runConcurrently(thread -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < SELECTS_PER_THREAD; i++) {
                List<Worker> candidates = i % 10 == 0 ? retryList : fleet;
                Worker worker = candidates.get(random.nextInt(candidates.size()));
                FakeWorker.loadOf(worker).inFlight(random.nextInt(20)); // loads move under the policy's feet
                GatewayRequest request = requests.get(random.nextInt(requests.size()));
                Worker chosen = policy.select(candidates, request).orElseThrow();
                if (!candidates.contains(chosen)) {
                    throw new AssertionError(chosen + " is not a candidate of " + candidates);
                }
                policy.onComplete(chosen, request, true);
            }
        });
        if (policy instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void roundRobinStaysExactlyBalancedAcrossThreads() throws Exception {
        Policy policy = new RoundRobinPolicy();
        AtomicLongArray counts = new AtomicLongArray(fleet.size());
        runConcurrently(thread -> {
            for (int i = 0; i < SELECTS_PER_THREAD; i++) {
                Worker chosen = policy.select(fleet, FakeRequest.withText("x")).orElseThrow();
                counts.incrementAndGet(fleet.indexOf(chosen));
            }
        });
        long expected = (long) THREADS * SELECTS_PER_THREAD / fleet.size();
        for (int i = 0; i < fleet.size(); i++) {
            assertThat(counts.get(i)).isEqualTo(expected);
        }
    }

    @Test
    void manualAssignsEachKeyOnceEvenWhenThreadsRaceForIt() throws Exception {
        ManualPolicy policy = new ManualPolicy(ManualPolicyConfig.defaults(), context.clock(), context.scheduler(),
                context.meterRegistry());
        Map<String, Set<Worker>> seen = new ConcurrentHashMap<>();
        runConcurrently(thread -> {
            for (int i = 0; i < SELECTS_PER_THREAD; i++) {
                String key = "key-" + (i % 500);
                Worker chosen = policy.select(fleet, FakeRequest.withRoutingKey(key)).orElseThrow();
                seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(chosen);
            }
        });
        assertThat(seen).hasSize(500).allSatisfy((key, workers) -> assertThat(workers).hasSize(1));
        assertThat(fleet.stream().mapToInt(worker -> policy.keyCount(worker.id())).sum()).isEqualTo(500);
        policy.close();
    }

    private void runConcurrently(ThrowingTask task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            running.add(threads.submit(() -> {
                start.await();
                task.run(thread);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : running) {
            future.get(30, TimeUnit.SECONDS); // rethrows any failure of the thread
        }
    }

    private <C extends Record> Policy create(PolicyFactory<C> factory) throws Exception {
        return factory.create(bind("{}", factory.configType()), context);
    }

    @FunctionalInterface
    private interface ThrowingTask {
        void run(int thread) throws Exception;
    }
}
