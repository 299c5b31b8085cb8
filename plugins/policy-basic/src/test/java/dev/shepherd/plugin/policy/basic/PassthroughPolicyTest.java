package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassthroughPolicyTest {

    @Test
    void alwaysPicksTheFirstCandidate() {
        PassthroughPolicy policy = new PassthroughPolicy();
        List<Worker> candidates = FakeWorker.fleet(3);
        FakeWorker.loadOf(candidates.get(0)).inFlight(100);
        for (int i = 0; i < 10; i++) {
            assertThat(policy.select(candidates, FakeRequest.withText("x " + i))).contains(candidates.get(0));
        }
        assertThat(policy.select(candidates.subList(1, 3), FakeRequest.withText("x"))).contains(candidates.get(1));
    }
}
