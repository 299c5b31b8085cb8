package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.Worker;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PowerOfTwoPolicyTest {

    private final PowerOfTwoPolicy policy = new PowerOfTwoPolicy();

    @Test
    void neverPicksTheMoreLoadedOfTwoWorkers() {
        List<Worker> candidates = FakeWorker.fleet(2);
        FakeWorker.loadOf(candidates.get(0)).inFlight(5);
        FakeWorker.loadOf(candidates.get(1)).inFlight(4);
        for (int i = 0; i < 1_000; i++) {
            assertThat(policy.select(candidates, FakeRequest.withText("x"))).contains(candidates.get(1));
        }
    }

    @Test
    void breaksInFlightTiesByQueuedPromptTokens() {
        List<Worker> candidates = FakeWorker.fleet(2);
        FakeWorker.loadOf(candidates.get(0)).inFlight(3).queuedPromptTokens(10);
        FakeWorker.loadOf(candidates.get(1)).inFlight(3).queuedPromptTokens(9_000);
        for (int i = 0; i < 1_000; i++) {
            assertThat(policy.select(candidates, FakeRequest.withText("x"))).contains(candidates.get(0));
        }
    }

    @Test
    void neverPicksTheMostLoadedOfSeveral() {
        List<Worker> candidates = FakeWorker.fleet(5);
        for (int i = 0; i < candidates.size(); i++) {
            FakeWorker.loadOf(candidates.get(i)).inFlight(i);
        }
        Worker mostLoaded = candidates.get(4);
        Set<Worker> picked = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            Worker worker = policy.select(candidates, FakeRequest.withText("x")).orElseThrow();
            assertThat(worker).isNotEqualTo(mostLoaded);
            picked.add(worker);
        }
        assertThat(picked).containsExactlyInAnyOrderElementsOf(candidates.subList(0, 4));
    }

    @Test
    void usesBothWorkersWhenEquallyLoaded() {
        List<Worker> candidates = FakeWorker.fleet(2);
        Set<Worker> picked = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            picked.add(policy.select(candidates, FakeRequest.withText("x")).orElseThrow());
        }
        assertThat(picked).containsExactlyInAnyOrderElementsOf(candidates);
    }

    @Test
    void takesTheOnlyCandidate() {
        List<Worker> candidates = FakeWorker.fleet(1);
        FakeWorker.loadOf(candidates.get(0)).inFlight(1_000);
        assertThat(policy.select(candidates, FakeRequest.withText("x"))).contains(candidates.get(0));
    }
}
