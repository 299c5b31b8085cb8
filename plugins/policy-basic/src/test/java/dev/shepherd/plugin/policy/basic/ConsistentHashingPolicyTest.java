package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.worker.Worker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class ConsistentHashingPolicyTest {

    private static final int KEYS = 10_000;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConsistentHashingPolicy policy = new ConsistentHashingPolicy(meters);
    private final List<Worker> fleet = FakeWorker.fleet(10);

    @Test
    void sendsTheSameKeyToTheSameWorker() {
        for (int i = 0; i < 100; i++) {
            Worker first = route(fleet, FakeRequest.withRoutingKey("session-" + i));
            for (int repeat = 0; repeat < 5; repeat++) {
                assertThat(route(fleet, FakeRequest.withRoutingKey("session-" + i))).isSameAs(first);
            }
        }
    }

    @Test
    void spreadsKeysEvenlyOverTheRing() {
        Map<String, Integer> perWorker = new HashMap<>();
        placements(fleet).values().forEach(id -> perWorker.merge(id, 1, Integer::sum));
        // A fair share is 1000 of 10,000; 150 virtual nodes keep every share within a few percent of it.
        assertThat(perWorker).hasSize(10).allSatisfy((id, count) -> assertThat(count).isBetween(700, 1_300));
    }

    @Test
    void addingAWorkerMovesAboutOneInNPlusOneKeysAllToTheNewWorker() {
        Map<Integer, String> before = placements(fleet);
        List<Worker> grown = new ArrayList<>(fleet);
        grown.add(new FakeWorker("w10"));
        Map<Integer, String> after = placements(List.copyOf(grown));

        int moved = 0;
        for (int key = 0; key < KEYS; key++) {
            if (!before.get(key).equals(after.get(key))) {
                moved++;
                assertThat(after.get(key)).isEqualTo("w10");
            }
        }
        assertThat((double) moved / KEYS).isBetween(0.06, 0.13); // 1/11 = 0.091
    }

    @Test
    void removingAWorkerMovesOnlyItsOwnKeysAboutOneInN() {
        Map<Integer, String> before = placements(fleet);
        List<Worker> shrunk = new ArrayList<>(fleet);
        shrunk.remove(3);
        Map<Integer, String> after = placements(List.copyOf(shrunk));

        int moved = 0;
        for (int key = 0; key < KEYS; key++) {
            if (!before.get(key).equals(after.get(key))) {
                moved++;
                assertThat(before.get(key)).isEqualTo("w3");
            } else {
                assertThat(before.get(key)).isNotEqualTo("w3");
            }
        }
        assertThat((double) moved / KEYS).isBetween(0.06, 0.14); // 1/10
    }

    @Test
    void placesKeysByWorkerIdWhateverTheListOrder() {
        List<Worker> shuffled = new ArrayList<>(fleet);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(placements(List.copyOf(shuffled))).isEqualTo(placements(fleet));
    }

    @Test
    void buildsARingOncePerMembershipNotPerRequest() {
        for (int i = 0; i < 1_000; i++) {
            route(fleet, FakeRequest.withRoutingKey("k" + i));
        }
        assertThat(policy.ringBuilds()).isEqualTo(1);

        List<Worker> sameMembersNewSnapshot = List.copyOf(new ArrayList<>(fleet));
        route(sameMembersNewSnapshot, FakeRequest.withRoutingKey("k"));
        assertThat(policy.ringBuilds()).isEqualTo(1);

        List<Worker> retryWithoutOne = fleet.subList(1, fleet.size());
        route(retryWithoutOne, FakeRequest.withRoutingKey("k"));
        route(fleet, FakeRequest.withRoutingKey("k"));
        route(retryWithoutOne, FakeRequest.withRoutingKey("k"));
        assertThat(policy.ringBuilds()).isEqualTo(2);
    }

    @Test
    void takesTheKeyFromRoutingKeyThenSessionThenUserThenPrompt() {
        assertPrecedence(i -> FakeRequest.withRoutingKey("key").header("X-Session-Id", "s" + i).user("u" + i).text("t" + i),
                FakeRequest.withRoutingKey("key"));
        assertPrecedence(i -> new FakeRequest().header("X-Session-Id", "session").user("u" + i).text("t" + i),
                new FakeRequest().header("X-Session-Id", "session"));
        assertPrecedence(i -> new FakeRequest().user("alice").text("t" + i), new FakeRequest().user("alice"));
        assertPrecedence(i -> FakeRequest.withText("the same prompt"), FakeRequest.withText("the same prompt"));
    }

    @Test
    void hashesOnlyTheStartOfALongPromptSoAConversationStaysTogether() {
        String earlierTurns = "x".repeat(AffinityKey.PROMPT_CHARS);
        Worker first = route(fleet, FakeRequest.withText(earlierTurns + " turn one"));
        for (int turn = 2; turn < 20; turn++) {
            assertThat(route(fleet, FakeRequest.withText(earlierTurns + " turn " + turn))).isSameAs(first);
        }
    }

    @Test
    void honoursTargetWorkerIndexAndRefusesOneOutOfRange() {
        assertThat(policy.select(fleet, FakeRequest.withRoutingKey("k").header("X-SMG-Target-Worker", "4")))
                .contains(fleet.get(4));
        assertThat(policy.select(fleet, FakeRequest.withRoutingKey("k").header("X-SMG-Target-Worker", "10"))).isEmpty();
        assertThat(policy.select(fleet, FakeRequest.withRoutingKey("k").header("X-SMG-Target-Worker", "not-a-number")))
                .contains(route(fleet, FakeRequest.withRoutingKey("k")));
        assertThat(branchCount("target_worker_hit")).isEqualTo(1);
        assertThat(branchCount("target_worker_miss")).isEqualTo(1);
    }

    @Test
    void spreadsRequestsWithNoKeyAtRandom() {
        Set<Worker> picked = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            picked.add(route(fleet, FakeRequest.withText("")));
        }
        assertThat(picked).containsExactlyInAnyOrderElementsOf(fleet);
        assertThat(branchCount("random_fallback")).isEqualTo(300);
    }

    @Test
    void countsEachBranchTaken() {
        route(fleet, FakeRequest.withRoutingKey("k"));
        route(fleet, FakeRequest.withText("prompt"));
        assertThat(branchCount("routing_key_hit")).isEqualTo(1);
        assertThat(branchCount("implicit_key_hit")).isEqualTo(1);
    }

    private void assertPrecedence(IntFunction<FakeRequest> withLowerPriorityNoise, GatewayRequest reference) {
        Worker expected = route(fleet, reference);
        for (int i = 0; i < 50; i++) {
            assertThat(route(fleet, withLowerPriorityNoise.apply(i))).isSameAs(expected);
        }
    }

    private Map<Integer, String> placements(List<Worker> candidates) {
        Map<Integer, String> placement = new HashMap<>();
        for (int key = 0; key < KEYS; key++) {
            placement.put(key, route(candidates, FakeRequest.withRoutingKey("user-" + key)).id());
        }
        return placement;
    }

    private Worker route(List<Worker> candidates, GatewayRequest request) {
        return policy.select(candidates, request).orElseThrow();
    }

    private double branchCount(String branch) {
        return meters.counter("smg_consistent_hashing_policy_branch_total", "branch", branch).count();
    }
}
