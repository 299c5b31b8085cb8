package dev.shepherd.plugin.policy.cacheaware;

import static dev.shepherd.testkit.fakes.FakeWorker.loadOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.Worker;
import dev.shepherd.testkit.fakes.FakeRequest;
import dev.shepherd.testkit.fakes.FakeWorker;
import dev.shepherd.testkit.fakes.FakeWorkerLoad;
import dev.shepherd.testkit.fakes.MutableClock;
import dev.shepherd.testkit.fakes.TestPluginContext;
import io.micrometer.core.instrument.Gauge;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CacheAwarePolicyTest {

    private static final String SYSTEM = "You are a helpful assistant for the billing team. " + "Policy text. ".repeat(40);

    private final TestPluginContext context = TestPluginContext.runningBlockingWorkInline();
    private final List<Worker> fleet = FakeWorker.fleet(4);
    private CacheAwarePolicy policy;

    @AfterEach
    void close() {
        if (policy != null) {
            policy.close();
        }
        context.close();
    }

    private CacheAwarePolicy policy(CacheAwarePolicyConfig config) {
        policy = new CacheAwarePolicy(config, context.scheduler(), context.blockingExecutor(), context.meterRegistry());
        return policy;
    }

    private Worker select(FakeRequest request) {
        return select(fleet, request);
    }

    private Worker select(List<Worker> candidates, FakeRequest request) {
        return policy.select(candidates, request).orElseThrow();
    }

    private static CacheAwarePolicyConfig withThreshold(CacheAwarePolicyConfig base, double threshold) {
        return new CacheAwarePolicyConfig(threshold, base.balanceAbsThreshold(), base.balanceRelThreshold(),
                base.evictionIntervalSecs(), base.maxTreeSize(), base.balanceTokenUsageThreshold(),
                base.overloadTokenUsageThreshold(), base.affinityLoadFactor(), base.affinityLoadSlack(),
                base.queuedTokensPerRequest(), base.kvHighWatermark(), base.missPlacement());
    }

    // --- fleet scale ----------------------------------------------------------------------------------

    @Test
    void aLargeFleetIsSampledNotReadWhole() {
        List<Worker> large = FakeWorker.fleet("big", 640);
        large.forEach(w -> loadOf(w).inFlight(10));
        Worker idle = large.get(123);
        loadOf(idle).inFlight(0);

        int fullScanToIdle = missesTo(idle, large, CacheAwarePolicyConfig.smgBaseline());
        int sampledToIdle = missesTo(idle, large, CacheAwarePolicyConfig.defaults());

        // Reading all 640 finds the one idle worker every time; a sample of 64 (every 10th worker from a
        // random start) includes it about one time in ten.
        assertThat(fullScanToIdle).isEqualTo(200);
        assertThat(sampledToIdle).isBetween(1, 100);
    }

    private int missesTo(Worker target, List<Worker> candidates, CacheAwarePolicyConfig config) {
        CacheAwarePolicy p = new CacheAwarePolicy(config, context.scheduler(), context.blockingExecutor(),
                context.meterRegistry());
        try {
            int hits = 0;
            for (int i = 0; i < 200; i++) {
                if (p.select(candidates, FakeRequest.withText(i + " a prompt nobody sent before " + i)).orElseThrow() == target) {
                    hits++;
                }
            }
            return hits;
        } finally {
            p.close();
        }
    }

    // --- affinity -------------------------------------------------------------------------------------

    @Test
    void turnTwoOfAChatGoesToTheWorkerOfTurnOne() {
        policy(CacheAwarePolicyConfig.defaults());
        for (int user = 0; user < 20; user++) {
            FakeRequest turn1 = FakeRequest.withChat("system", SYSTEM, "user", "question of user " + user);
            Worker first = select(turn1);
            loadOf(first).inFlight(1); // busier now, yet within the affinity bound
            FakeRequest turn2 = FakeRequest.withChat("system", SYSTEM, "user", "question of user " + user,
                    "assistant", "an answer", "user", "a follow-up");
            FakeRequest turn3 = FakeRequest.withChat("system", SYSTEM, "user", "question of user " + user,
                    "assistant", "an answer", "user", "a follow-up", "assistant", "more", "user", "thanks");

            assertThat(select(turn2)).isSameAs(first);
            assertThat(select(turn3)).isSameAs(first);
            loadOf(first).inFlight(0);
        }
    }

    @Test
    void aMatchAtTheThresholdFollowsTheWorkerEvenWhenAnotherIsIdler() {
        policy(withThreshold(CacheAwarePolicyConfig.smgBaseline(), 0.5));
        Worker w0 = fleet.get(0);
        loadOf(w0).inFlight(3);
        select(List.of(w0), FakeRequest.withText("a".repeat(50) + "first"));

        assertThat(select(FakeRequest.withText("a".repeat(50) + "b".repeat(50)))).isSameAs(w0); // ratio exactly 0.5
        assertThat(counter("cache_hit")).isEqualTo(1);
        assertThat(counter("miss")).isEqualTo(1); // the first request, on an empty tree
    }

    @Test
    void aMatchBelowTheThresholdGoesToTheLeastLoadedWorker() {
        policy(withThreshold(CacheAwarePolicyConfig.smgBaseline(), 0.5));
        Worker w0 = fleet.get(0);
        select(List.of(w0), FakeRequest.withText("a".repeat(49) + "first"));
        loadOf(fleet.get(0)).inFlight(3);
        loadOf(fleet.get(1)).inFlight(2);
        loadOf(fleet.get(3)).inFlight(2);

        assertThat(select(FakeRequest.withText("a".repeat(49) + "b".repeat(51)))).isSameAs(fleet.get(2)); // ratio 0.49
        assertThat(counter("miss")).isEqualTo(2);
        assertThat(counter("cache_hit")).isZero();
    }

    @Test
    void aHitAmongSeveralHoldersGoesToTheLeastLoadedOfThem() {
        policy(CacheAwarePolicyConfig.defaults());
        String text = SYSTEM + "same question";
        select(List.of(fleet.get(1)), FakeRequest.withText(text));
        select(List.of(fleet.get(2)), FakeRequest.withText(text));
        loadOf(fleet.get(0)).inFlight(0); // idle but holds nothing
        loadOf(fleet.get(1)).inFlight(2);
        loadOf(fleet.get(2)).inFlight(1);

        assertThat(select(FakeRequest.withText(text))).isSameAs(fleet.get(2));
    }

    @Test
    void aHolderThatIsNoCandidateIsPassedOverForAShallowerHolder() {
        policy(CacheAwarePolicyConfig.defaults());
        select(List.of(fleet.get(0)), FakeRequest.withText(SYSTEM + "user 1 asks a long question"));
        select(List.of(fleet.get(1)), FakeRequest.withText(SYSTEM + "user 2"));

        // w0 failed this request already (a retry): w1 shares the system prompt, ratio still above 0.3.
        List<Worker> retry = List.of(fleet.get(1), fleet.get(2), fleet.get(3));
        assertThat(select(retry, FakeRequest.withText(SYSTEM + "user 1 asks a long question, again"))).isSameAs(fleet.get(1));
    }

    // --- load -----------------------------------------------------------------------------------------

    @Test
    void imbalanceSwitchesToTheShortestQueueDespiteACacheHit() {
        policy(CacheAwarePolicyConfig.smgBaseline());
        String text = SYSTEM + "question";
        select(List.of(fleet.get(0)), FakeRequest.withText(text));
        loadOf(fleet.get(0)).inFlight(100);
        loadOf(fleet.get(1)).inFlight(40);
        loadOf(fleet.get(2)).inFlight(10);
        loadOf(fleet.get(3)).inFlight(30);

        assertThat(select(FakeRequest.withText(text))).isSameAs(fleet.get(2)); // 100 - 10 > 64 and 100 > 1.5 x 10
        assertThat(counter("balance")).isEqualTo(1);
        // ... and the balance decision still records the prefix for the worker it chose.
        assertThat(policy.treeChars(fleet.get(2).id())).isEqualTo(text.length());
    }

    @Test
    void bothThresholdsMustBeExceededForImbalance() {
        policy(CacheAwarePolicyConfig.smgBaseline());
        String text = SYSTEM + "question";
        select(List.of(fleet.get(0)), FakeRequest.withText(text));

        setInFlight(70, 10, 10, 10); // abs 60 <= 64: balanced
        assertThat(select(FakeRequest.withText(text))).isSameAs(fleet.get(0));
        setInFlight(300, 230, 230, 230); // abs 70 > 64 but 300 <= 1.5 x 230: balanced
        assertThat(select(FakeRequest.withText(text))).isSameAs(fleet.get(0));
        setInFlight(80, 10, 10, 10); // both exceeded
        assertThat(select(FakeRequest.withText(text))).isNotSameAs(fleet.get(0));
    }

    @Test
    void smgFollowsACacheHitToAHotWorkerButTheAffinityBoundDoesNot() {
        String text = SYSTEM + "popular question";
        policy(CacheAwarePolicyConfig.smgBaseline());
        select(List.of(fleet.get(0)), FakeRequest.withText(text));
        setInFlight(12, 0, 0, 0); // mean 3: far over 1.25 x 3 + 2, but not imbalanced by SMG's rule
        assertThat(select(FakeRequest.withText(text))).isSameAs(fleet.get(0));
        policy.close();

        policy(CacheAwarePolicyConfig.defaults());
        select(List.of(fleet.get(0)), FakeRequest.withText(text));
        Worker overflow = select(FakeRequest.withText(text));
        assertThat(overflow).isNotSameAs(fleet.get(0));
        assertThat(counter("balance")).isEqualTo(1);
        // The overflow worker now holds the prefix too, so it keeps taking the overflow as a cache hit.
        loadOf(overflow).inFlight(1);
        assertThat(select(FakeRequest.withText(text))).isSameAs(overflow);
    }

    @Test
    void queuedPromptTokensCountAsWork() {
        policy(CacheAwarePolicyConfig.defaults());
        loadOf(fleet.get(0)).queuedPromptTokens(40_000); // ~39 requests' worth of prefill queued
        loadOf(fleet.get(1)).inFlight(1).queuedPromptTokens(1_000);
        loadOf(fleet.get(2)).inFlight(2);
        loadOf(fleet.get(3)).inFlight(2);

        assertThat(select(FakeRequest.withText("a brand new prompt"))).isSameAs(fleet.get(1));
    }

    @Test
    void smgBaselineIgnoresQueuedPromptTokens() {
        policy(CacheAwarePolicyConfig.smgBaseline());
        loadOf(fleet.get(0)).queuedPromptTokens(40_000);
        setInFlight(0, 1, 1, 1);

        assertThat(select(FakeRequest.withText("a brand new prompt"))).isSameAs(fleet.get(0));
    }

    @Test
    void missesAvoidWorkersAboveTheKvHighWatermark() {
        policy(CacheAwarePolicyConfig.defaults());
        loadOf(fleet.get(0)).kvCacheUsage(0.95);
        loadOf(fleet.get(1)).kvCacheUsage(0.92).inFlight(0);
        loadOf(fleet.get(2)).kvCacheUsage(0.5).inFlight(3);
        loadOf(fleet.get(3)).kvCacheUsage(0.6).inFlight(4);

        for (int i = 0; i < 20; i++) {
            assertThat(select(FakeRequest.withText("new prompt " + i))).isSameAs(fleet.get(2));
        }
    }

    @Test
    void smgsKvOverloadTriggerSwitchesToTheShortestQueue() {
        policy(new CacheAwarePolicyConfig(null, null, null, null, null, null, 0.8, 0.0, 0.0, 0, 1.0, null));
        String text = SYSTEM + "question";
        select(List.of(fleet.get(0)), FakeRequest.withText(text));
        setInFlight(3, 2, 1, 2);
        loadOf(fleet.get(0)).kvCacheUsage(0.85);

        assertThat(select(FakeRequest.withText(text))).isSameAs(fleet.get(2));
    }

    @Test
    void smgsKvSpreadTriggerSwitchesToTheShortestQueue() {
        policy(new CacheAwarePolicyConfig(null, null, null, null, null, 0.3, null, 0.0, 0.0, 0, 1.0, null));
        String text = SYSTEM + "question";
        select(List.of(fleet.get(0)), FakeRequest.withText(text));
        setInFlight(3, 2, 1, 2);
        loadOf(fleet.get(0)).kvCacheUsage(0.7);
        loadOf(fleet.get(1)).kvCacheUsage(0.5);
        assertThat(select(FakeRequest.withText(text))).isSameAs(fleet.get(0)); // spread 0.2 <= 0.3

        loadOf(fleet.get(1)).kvCacheUsage(0.3);
        assertThat(select(FakeRequest.withText(text))).isSameAs(fleet.get(2)); // spread 0.4 > 0.3
    }

    @Test
    void missesOnAnIdleFleetAreSpreadNotPiledOntoOneWorker() {
        policy(CacheAwarePolicyConfig.defaults());
        Map<Worker, Integer> counts = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            counts.merge(select(FakeRequest.withText(i + " a distinct prompt")), 1, Integer::sum);
        }
        // Expected 100 each; binomial sd ~8.7, so 40 is ~7 sd away.
        assertThat(counts).hasSize(4).allSatisfy((worker, count) -> assertThat(count).isGreaterThan(40));
    }

    @Test
    void smallestTreePlacementSendsMissesWhereTheTreeIsSmallest() {
        policy(new CacheAwarePolicyConfig(null, null, null, null, null, null, null, null, null, null, null,
                MissPlacement.SMALLEST_TREE));
        select(List.of(fleet.get(0)), FakeRequest.withText("x".repeat(1000)));
        select(List.of(fleet.get(1)), FakeRequest.withText("y".repeat(500)));
        select(List.of(fleet.get(3)), FakeRequest.withText("z".repeat(100)));
        setInFlight(0, 0, 1, 0); // w2 has the smallest tree (none) but is a request busier than the least

        Worker chosen = select(FakeRequest.withText("a new prompt"));
        assertThat(chosen).isSameAs(fleet.get(2));
        setInFlight(0, 0, 2, 0); // now too busy: the smallest tree among the least loaded
        assertThat(select(FakeRequest.withText("another new prompt"))).isSameAs(fleet.get(3));
    }

    @Test
    void aRequestWithoutRoutingTextGoesToTheLeastLoadedAndIsNotRecorded() {
        policy(CacheAwarePolicyConfig.defaults());
        setInFlight(2, 1, 0, 3);

        assertThat(select(FakeRequest.withText(""))).isSameAs(fleet.get(2));
        assertThat(policy.treeChars()).isZero();
    }

    // --- memory ---------------------------------------------------------------------------------------

    @Test
    void evictionKeepsEachWorkerUnderTheBound() {
        int bound = 5_000;
        policy(new CacheAwarePolicyConfig(null, null, null, null, (long) bound, null, null, null, null, null, null, null));
        for (int i = 0; i < 400; i++) {
            select(FakeRequest.withText(i + " " + "conversation text ".repeat(5)));
        }
        // Early eviction already ran whenever a worker passed 1.25 x the bound (the executor is direct).
        assertThat(fleet).allSatisfy(w -> assertThat(policy.treeChars(w.id())).isLessThanOrEqualTo(bound * 5 / 4));

        policy.evictNow();

        assertThat(fleet).allSatisfy(w -> assertThat(policy.treeChars(w.id())).isLessThanOrEqualTo(bound));
        assertThat(policy.treeChars()).isGreaterThan(3L * bound); // trimmed to the bound, not emptied
        assertThat(counterOf("smg_cache_aware_evicted_chars_total")).isPositive();
        // The most recent prompt survived.
        String last = 399 + " " + "conversation text ".repeat(5);
        assertThat(policy.tree().match(last).matchedChars()).isEqualTo(last.length());
    }

    @Test
    void aRemovedWorkersEntriesAreDroppedAndItsPrefixesRoutedElsewhere() {
        policy(CacheAwarePolicyConfig.defaults());
        String text = SYSTEM + "question";
        select(List.of(fleet.get(0)), FakeRequest.withText(text));
        select(List.of(fleet.get(0)), FakeRequest.withText("only w0 saw this"));
        select(List.of(fleet.get(1)), FakeRequest.withText(text));
        int w0 = policy.tenants().find("w0").index();

        policy.onWorkerRemoved(fleet.get(0));

        assertThat(policy.treeChars("w0")).isZero();
        assertThat(policy.tree().countCharsByTenant()).doesNotContainKey(w0);
        assertThat(policy.tree().match("only w0 saw this").matchedChars()).isZero();
        assertThat(select(fleet.subList(1, 4), FakeRequest.withText(text + " again"))).isSameAs(fleet.get(1));
        PrefixTreeTest.assertStructurallySound(policy.tree().root());
    }

    @Test
    void aWorkerThatComesBackStartsWithAnEmptyTree() {
        policy(CacheAwarePolicyConfig.defaults());
        select(List.of(fleet.get(0)), FakeRequest.withText(SYSTEM));
        policy.onWorkerRemoved(fleet.get(0));

        List<Worker> again = List.of(new FakeWorker("w0"), fleet.get(1));
        setInFlight(0, 1, 0, 0);
        assertThat(select(again, FakeRequest.withText("fresh"))).isSameAs(again.get(0));
        assertThat(policy.treeChars("w0")).isEqualTo(5);
    }

    @Test
    void evictionIsScheduledAndCancelledOnClose() {
        policy(CacheAwarePolicyConfig.defaults());
        assertThat(context.scheduledTasks()).isEqualTo(1);

        policy.close();

        assertThat(context.scheduledTasks()).isZero();
    }

    // --- metrics --------------------------------------------------------------------------------------

    @Test
    void decisionsAndTreeSizeAreMetered() {
        policy(CacheAwarePolicyConfig.defaults());
        select(FakeRequest.withText(SYSTEM + "one"));
        select(FakeRequest.withText(SYSTEM + "two"));

        assertThat(counter("miss")).isEqualTo(1);
        assertThat(counter("cache_hit")).isEqualTo(1);
        Gauge gauge = context.simpleMeterRegistry().get("smg_cache_aware_tree_chars").tag("model", "test-model").gauge();
        assertThat(gauge.value()).isEqualTo(policy.treeChars()).isPositive();

        policy.close();
        assertThat(context.simpleMeterRegistry().find("smg_cache_aware_tree_chars").gauge()).isNull();
    }

    private void setInFlight(int... loads) {
        for (int i = 0; i < loads.length; i++) {
            loadOf(fleet.get(i)).inFlight(loads[i]);
        }
    }

    private double counter(String decision) {
        return context.simpleMeterRegistry().get("smg_cache_aware_decisions_total").tag("decision", decision).counter().count();
    }

    private double counterOf(String name) {
        return context.simpleMeterRegistry().get(name).counter().count();
    }
}
