package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.spi.worker.Worker;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeastLoadPolicyTest {

    private final LeastLoadPolicy policy = new LeastLoadPolicy(LeastLoadPolicyConfig.defaults());
    private final List<Worker> candidates = FakeWorker.fleet(4);

    @Test
    void picksTheWorkerWithFewestInFlightRequests() {
        int[] inFlight = {7, 3, 9, 4};
        for (int i = 0; i < inFlight.length; i++) {
            FakeWorker.loadOf(candidates.get(i)).inFlight(inFlight[i]);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(policy.select(candidates, FakeRequest.withText("x"))).contains(candidates.get(1));
        }
    }

    @Test
    void countsPromptTokensStillWaitingForPrefill() {
        candidates.forEach(worker -> FakeWorker.loadOf(worker).inFlight(2));
        FakeWorker.loadOf(candidates.get(0)).queuedPromptTokens(50_000);
        FakeWorker.loadOf(candidates.get(1)).queuedPromptTokens(100);
        FakeWorker.loadOf(candidates.get(2)).queuedPromptTokens(4_000);
        FakeWorker.loadOf(candidates.get(3)).queuedPromptTokens(2_000);
        assertThat(policy.select(candidates, FakeRequest.withText("x"))).contains(candidates.get(1));
    }

    @Test
    void weighsAnInFlightRequestAsAMeanPrefill() {
        List<Worker> two = FakeWorker.fleet(2);
        // 2 * 1024 + 3000 = 5048 tokens against 3 * 1024 + 1000 = 4072: one more request, less work.
        FakeWorker.loadOf(two.get(0)).inFlight(2).queuedPromptTokens(3_000);
        FakeWorker.loadOf(two.get(1)).inFlight(3).queuedPromptTokens(1_000);
        assertThat(policy.select(two, FakeRequest.withText("x"))).contains(two.get(1));
        // 5048 against 3 * 1024 + 2500 = 5572.
        FakeWorker.loadOf(two.get(1)).queuedPromptTokens(2_500);
        assertThat(policy.select(two, FakeRequest.withText("x"))).contains(two.get(0));
    }

    @Test
    void steersAwayFromAWorkerWhoseKvCacheIsFilling() {
        List<Worker> two = FakeWorker.fleet(2);
        FakeWorker.loadOf(two.get(0)).inFlight(1).kvCacheUsage(0.95);
        FakeWorker.loadOf(two.get(1)).inFlight(2).kvCacheUsage(0.10);
        // 0.512 s + 0.15 * 19 = 3.36 s against 1.024 s + 0.017 s.
        assertThat(policy.select(two, FakeRequest.withText("x"))).contains(two.get(1));
    }

    @Test
    void treatsUnknownKvUsageAsNoPressure() {
        List<Worker> two = FakeWorker.fleet(2);
        FakeWorker.loadOf(two.get(0)).inFlight(1).kvCacheUsage(-1);
        FakeWorker.loadOf(two.get(1)).inFlight(1).kvCacheUsage(0.5);
        assertThat(policy.select(two, FakeRequest.withText("x"))).contains(two.get(0));
    }

    @Test
    void estimatesSecondsOfQueuedWorkAsDocumented() {
        FakeWorkerLoad load = new FakeWorkerLoad().inFlight(3).queuedPromptTokens(928).kvCacheUsage(0.5);
        // (928 + 3 * 1024) / 2000 + 0.15 * 0.5 / 0.5
        assertThat(policy.estimatedSeconds(load)).isCloseTo(2.0 + 0.15, within(1e-9));
        // A full cache is clamped at 0.999: 0.15 * 999
        assertThat(policy.estimatedSeconds(new FakeWorkerLoad().kvCacheUsage(1.0))).isCloseTo(149.85, within(1e-6));
        assertThat(policy.estimatedSeconds(new FakeWorkerLoad())).isZero();
    }

    @Test
    void spreadsTiedWorkersRatherThanAlwaysTakingTheFirst() {
        Set<Worker> picked = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            picked.add(policy.select(candidates, FakeRequest.withText("x")).orElseThrow());
        }
        assertThat(picked).containsExactlyInAnyOrderElementsOf(candidates);
    }

    @Test
    void bindsSmgDefaultsFromAnEmptySection() throws Exception {
        LeastLoadPolicyConfig config = bind("{}", LeastLoadPolicyConfig.class);
        assertThat(config).isEqualTo(new LeastLoadPolicyConfig(0.15, 2000.0, 1024));
        assertThat(config).isEqualTo(LeastLoadPolicyConfig.defaults());
    }

    @Test
    void bindsEverySnakeCaseKey() throws Exception {
        LeastLoadPolicyConfig config = bind(
                "{'kv_pressure_weight': 0.5, 'default_throughput': 4000.0, 'mean_prefill_tokens': 512}",
                LeastLoadPolicyConfig.class);
        assertThat(config).isEqualTo(new LeastLoadPolicyConfig(0.5, 4000.0, 512));
    }

    @Test
    void rejectsValuesItCannotServe() {
        assertThatThrownBy(() -> bind("{'default_throughput': 0}", LeastLoadPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("default_throughput must be a finite number > 0, not 0.0");
        assertThatThrownBy(() -> bind("{'kv_pressure_weight': -1}", LeastLoadPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bind("{'mean_prefill_tokens': 0}", LeastLoadPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bind("{'mean_prefill_tokens': 'many'}", LeastLoadPolicyConfig.class))
                .isInstanceOf(com.fasterxml.jackson.databind.exc.InvalidFormatException.class);
    }
}
