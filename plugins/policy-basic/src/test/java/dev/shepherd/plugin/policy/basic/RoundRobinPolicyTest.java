package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.Worker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinPolicyTest {

    private final RoundRobinPolicy policy = new RoundRobinPolicy();
    private final List<Worker> candidates = FakeWorker.fleet(3);

    @Test
    void visitsCandidatesInListOrderAndStartsOver() {
        List<Worker> picked = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picked.add(policy.select(candidates, FakeRequest.withText("x")).orElseThrow());
        }
        assertThat(picked).containsExactly(candidates.get(0), candidates.get(1), candidates.get(2),
                candidates.get(0), candidates.get(1), candidates.get(2), candidates.get(0));
    }

    @Test
    void givesEveryCandidateTheSameShare() {
        Map<Worker, Integer> counts = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            counts.merge(policy.select(candidates, FakeRequest.withText("x")).orElseThrow(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(candidates).allSatisfy((worker, count) -> assertThat(count).isEqualTo(1_000));
    }

    @Test
    void keepsRotatingWhenTheCandidateListChangesSize() {
        List<Worker> fewer = candidates.subList(0, 2);
        for (int i = 0; i < 10; i++) {
            assertThat(policy.select(i % 2 == 0 ? candidates : fewer, FakeRequest.withText("x")).orElseThrow())
                    .isIn(candidates);
        }
    }
}
