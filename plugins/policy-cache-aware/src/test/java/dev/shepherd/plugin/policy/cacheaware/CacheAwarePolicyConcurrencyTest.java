package dev.shepherd.plugin.policy.cacheaware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.Worker;
import dev.shepherd.testkit.fakes.FakeRequest;
import dev.shepherd.testkit.fakes.FakeWorker;
import dev.shepherd.testkit.fakes.FakeWorkerLoad;
import dev.shepherd.testkit.fakes.MutableClock;
import dev.shepherd.testkit.fakes.TestPluginContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads selecting at once, as the kernel's I/O threads do, while eviction runs beside them. */
class CacheAwarePolicyConcurrencyTest {

    private static final int THREADS = 8;
    private static final int SELECTS_PER_THREAD = 10_000;

    private final TestPluginContext context = TestPluginContext.runningBlockingWorkInline();
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
    private final List<Worker> fleet = FakeWorker.fleet(16);

    @AfterEach
    void close() {
        threads.shutdownNow();
        context.close();
    }

    @Test
    void selectsOnlyCandidatesAndKeepsTheTreeConsistentUnderConcurrentSelectsAndEvictions() throws Exception {
        long bound = 20_000;
        CacheAwarePolicy policy = new CacheAwarePolicy(
                new CacheAwarePolicyConfig(null, null, null, null, bound, null, null, null, null, null, null, null),
                context.scheduler(), context.blockingExecutor(), context.meterRegistry());
        List<Worker> retryList = fleet.subList(1, fleet.size());
        List<FakeRequest> requests = new ArrayList<>();
        for (int group = 0; group < 8; group++) {
            String system = "system prompt of group " + group + ": " + "be helpful and precise. ".repeat(30);
            for (int user = 0; user < 32; user++) {
                String history = system;
                for (int turn = 0; turn < 4; turn++) {
                    history += "user\nquestion " + turn + " of user " + user + "\nassistant\nanswer " + turn + "\n";
                    requests.add(FakeRequest.withText(history));
                }
            }
        }
        AtomicBoolean selecting = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            running.add(threads.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < SELECTS_PER_THREAD; i++) {
                    List<Worker> candidates = i % 10 == 0 ? retryList : fleet;
                    FakeWorker.loadOf(candidates.get(random.nextInt(candidates.size()))).inFlight(random.nextInt(20));
                    FakeRequest request = requests.get(random.nextInt(requests.size()));
                    Worker chosen = policy.select(candidates, request).orElseThrow();
                    if (!candidates.contains(chosen)) {
                        throw new AssertionError(chosen + " is not a candidate of " + candidates);
                    }
                }
                return null;
            }));
        }
        Future<?> evictions = threads.submit(() -> {
            start.await();
            while (selecting.get()) {
                policy.evictNow();
            }
            return null;
        });
        start.countDown();
        for (Future<?> future : running) {
            future.get(60, TimeUnit.SECONDS); // rethrows any failure of the thread
        }
        selecting.set(false);
        evictions.get(60, TimeUnit.SECONDS);

        PrefixTreeTest.assertStructurallySound(policy.tree().root());
        Map<Integer, Long> counted = policy.tree().countCharsByTenant();
        for (Worker worker : fleet) {
            Tenant tenant = policy.tenants().find(worker.id());
            assertThat(tenant.chars()).as("chars of %s", worker).isEqualTo(counted.getOrDefault(tenant.index(), 0L));
        }
        policy.evictNow();
        assertThat(fleet).allSatisfy(w -> assertThat(policy.treeChars(w.id())).isLessThanOrEqualTo(bound));
        double decisions = context.simpleMeterRegistry().find("smg_cache_aware_decisions_total").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat(decisions).isEqualTo(THREADS * SELECTS_PER_THREAD);
        policy.close();
    }

    @Test
    void aWorkerRemovedWhileOthersSelectLeavesNoneOfItsEntries() throws Exception {
        CacheAwarePolicy policy = new CacheAwarePolicy(CacheAwarePolicyConfig.defaults(), context.scheduler(),
                context.blockingExecutor(), context.meterRegistry());
        Worker leaving = fleet.get(0);
        List<Worker> remaining = fleet.subList(1, fleet.size());
        CyclicBarrier removal = new CyclicBarrier(THREADS + 1);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            running.add(threads.submit(() -> {
                for (int i = 0; i < 1_000; i++) {
                    policy.select(fleet, FakeRequest.withText(thread + "/" + (i % 50) + " a prompt of its own"));
                }
                removal.await();
                // The kernel offers the leaving worker no more once it is removed; the purge runs meanwhile.
                for (int i = 0; i < 1_000; i++) {
                    policy.select(remaining, FakeRequest.withText(thread + "/" + (i % 50) + " a prompt of its own"));
                }
                return null;
            }));
        }
        removal.await();
        assertThat(policy.treeChars(leaving.id())).isPositive();
        policy.onWorkerRemoved(leaving);
        for (Future<?> future : running) {
            future.get(60, TimeUnit.SECONDS);
        }
        policy.evictNow(); // takes whatever an insert racing with the purge left behind

        assertThat(policy.treeChars(leaving.id())).isZero();
        assertThat(policy.tenants().all()).noneMatch(tenant -> tenant.workerId().equals(leaving.id()));
        PrefixTreeTest.assertStructurallySound(policy.tree().root());
        policy.close();
    }
}
