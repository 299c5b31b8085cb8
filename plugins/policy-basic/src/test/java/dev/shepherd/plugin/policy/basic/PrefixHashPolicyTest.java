package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.worker.Worker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrefixHashPolicyTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PrefixHashPolicy policy = new PrefixHashPolicy(PrefixHashPolicyConfig.defaults(), meters);
    private final List<Worker> fleet = FakeWorker.fleet(4);

    @Test
    void sendsPromptsSharingTheirFirstTokensToTheSameWorker() {
        String systemPrompt = words("system", 256);
        Worker first = route(systemPrompt + " What is the capital of France?");
        for (int i = 0; i < 50; i++) {
            assertThat(route(systemPrompt + " question number " + i)).isSameAs(first);
        }
    }

    @Test
    void spreadsDifferentPrefixesOverTheFleet() {
        Map<Worker, Integer> perWorker = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            perWorker.merge(route("conversation " + i + " " + words("body", 10)), 1, Integer::sum);
        }
        // 100 each on average; every worker gets a real share.
        assertThat(perWorker).containsOnlyKeys(fleet).allSatisfy((worker, count) -> assertThat(count).isGreaterThan(50));
    }

    @Test
    void walksPastAWorkerOverTheLoadBoundToTheSameOverflowWorker() {
        String prompt = words("shared", 300);
        Worker home = route(prompt);
        FakeWorker.loadOf(home).inFlight(20); // mean 5, bound 1.25 * (5 + 1) = 7.5

        Worker overflow = route(prompt);
        assertThat(overflow).isNotSameAs(home);
        for (int i = 0; i < 20; i++) {
            assertThat(route(prompt)).isSameAs(overflow);
        }
        assertThat(branchCount("load_balance_walk")).isEqualTo(21);

        FakeWorker.loadOf(home).inFlight(7); // mean 1.75, bound 3.4375: still over
        assertThat(route(prompt)).isSameAs(overflow);
        FakeWorker.loadOf(home).inFlight(3); // mean 0.75, bound 2.1875: still over
        assertThat(route(prompt)).isSameAs(overflow);
        FakeWorker.loadOf(home).inFlight(2); // mean 0.5, bound 1.875: over by a little
        assertThat(route(prompt)).isSameAs(overflow);
        FakeWorker.loadOf(home).inFlight(1); // mean 0.25, bound 1.5625: back home
        assertThat(route(prompt)).isSameAs(home);
    }

    @Test
    void staysHomeWhenEveryWorkerIsEquallyBusy() {
        fleet.forEach(worker -> FakeWorker.loadOf(worker).inFlight(40));
        String prompt = words("busy", 300);
        Worker home = route(prompt);
        for (int i = 0; i < 10; i++) {
            assertThat(route(prompt)).isSameAs(home);
        }
    }

    @Test
    void placesARequestWithoutAPromptByLoad() {
        FakeWorker.loadOf(fleet.get(0)).inFlight(9);
        FakeWorker.loadOf(fleet.get(1)).inFlight(9);
        FakeWorker.loadOf(fleet.get(2)).inFlight(9);
        int toIdle = 0;
        for (int i = 0; i < 400; i++) {
            if (route("") == fleet.get(3)) {
                toIdle++;
            }
        }
        // Power of two: the idle worker wins whenever it is sampled, half the time (a quarter at random).
        assertThat(toIdle).isGreaterThan(150);
        assertThat(branchCount("no_prompt")).isEqualTo(400);
    }

    @Test
    void hashesOnlyTheConfiguredNumberOfTokens() {
        PrefixHashPolicy shortPrefix = new PrefixHashPolicy(new PrefixHashPolicyConfig(2, null), meters);
        Set<Worker> picked = IntStream.range(0, 50)
                .mapToObj(i -> shortPrefix.select(fleet, FakeRequest.withText("same start " + i)).orElseThrow())
                .collect(Collectors.toSet());
        assertThat(picked).hasSize(1);
    }

    @Test
    void bindsSmgDefaultsFromAnEmptySection() throws Exception {
        assertThat(bind("{}", PrefixHashPolicyConfig.class)).isEqualTo(new PrefixHashPolicyConfig(256, 1.25));
    }

    @Test
    void bindsEverySnakeCaseKey() throws Exception {
        assertThat(bind("{'prefix_token_count': 64, 'load_factor': 2.0}", PrefixHashPolicyConfig.class))
                .isEqualTo(new PrefixHashPolicyConfig(64, 2.0));
    }

    @Test
    void rejectsValuesItCannotServe() {
        assertThatThrownBy(() -> bind("{'load_factor': 0.5}", PrefixHashPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("load_factor must be a finite number >= 1.0, not 0.5");
        assertThatThrownBy(() -> bind("{'prefix_token_count': 0}", PrefixHashPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    private Worker route(String prompt) {
        return policy.select(fleet, FakeRequest.withText(prompt)).orElseThrow();
    }

    private double branchCount(String branch) {
        return meters.counter("smg_prefix_hash_policy_branch_total", "branch", branch).count();
    }

    private static String words(String word, int count) {
        return IntStream.range(0, count).mapToObj(i -> word + i % 10).collect(Collectors.joining(" "));
    }
}
