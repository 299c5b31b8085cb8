package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.Worker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomPolicyTest {

    @Test
    void reachesEveryCandidateInRoughlyEqualShares() {
        RandomPolicy policy = new RandomPolicy();
        List<Worker> candidates = FakeWorker.fleet(4);
        Map<Worker, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4_000; i++) {
            counts.merge(policy.select(candidates, FakeRequest.withText("x")).orElseThrow(), 1, Integer::sum);
        }
        // Expected 1000 each; 700 is more than 10 standard deviations away.
        assertThat(counts).containsOnlyKeys(candidates).allSatisfy((worker, count) -> assertThat(count).isGreaterThan(700));
    }
}
