package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.shepherd.spi.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManualPolicyTest {

    private final TestPluginContext context = new TestPluginContext();
    private final List<Worker> fleet = FakeWorker.fleet(4);
    private final List<ManualPolicy> created = new ArrayList<>();

    @AfterEach
    void close() {
        created.forEach(ManualPolicy::close);
        context.close();
    }

    @Test
    void pinsEachRoutingKeyToOneWorker() {
        ManualPolicy policy = policy(new ManualPolicyConfig(null, AssignmentMode.RANDOM, null));
        Set<Worker> used = new HashSet<>();
        for (int key = 0; key < 50; key++) {
            Worker first = route(policy, fleet, "key-" + key);
            used.add(first);
            for (int repeat = 0; repeat < 10; repeat++) {
                assertThat(route(policy, fleet, "key-" + key)).isSameAs(first);
            }
        }
        assertThat(used).containsExactlyInAnyOrderElementsOf(fleet);
        assertThat(policy.stickyKeyCount()).isEqualTo(50);
        assertThat(branchCount("vacant")).isEqualTo(50);
        assertThat(branchCount("hit")).isEqualTo(500);
    }

    @Test
    void placesRequestsWithoutAKeyWithoutRememberingThem() {
        ManualPolicy policy = policy(ManualPolicyConfig.defaults());
        Set<Worker> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            used.add(policy.select(fleet, FakeRequest.withText("no key")).orElseThrow());
        }
        assertThat(used).containsExactlyInAnyOrderElementsOf(fleet);
        assertThat(policy.stickyKeyCount()).isZero();
        assertThat(branchCount("no_routing_id")).isEqualTo(200);
    }

    @Test
    void placesUnkeyedRequestsByLoadUnderMinLoadAndAtRandomUnderMinGroup() {
        FakeWorker.loadOf(fleet.get(0)).inFlight(3);
        FakeWorker.loadOf(fleet.get(1)).inFlight(3);
        FakeWorker.loadOf(fleet.get(3)).inFlight(3);
        ManualPolicy byLoad = policy(new ManualPolicyConfig(null, AssignmentMode.MIN_LOAD, null));
        for (int i = 0; i < 20; i++) {
            assertThat(byLoad.select(fleet, FakeRequest.withText("no key"))).contains(fleet.get(2));
        }
        ManualPolicy byGroup = policy(new ManualPolicyConfig(null, AssignmentMode.MIN_GROUP, null));
        Set<Worker> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            used.add(byGroup.select(fleet, FakeRequest.withText("no key")).orElseThrow());
        }
        assertThat(used).containsExactlyInAnyOrderElementsOf(fleet);
    }

    @Test
    void sweepForgetsKeysIdleForMaxIdleSecs() {
        ManualPolicy policy = policy(new ManualPolicyConfig(60, AssignmentMode.MIN_GROUP, null));
        route(policy, fleet, "a");
        route(policy, fleet, "b");
        route(policy, fleet, "c");

        context.mutableClock().advance(Duration.ofSeconds(59));
        policy.sweepIdle();
        assertThat(policy.stickyKeyCount()).isEqualTo(3);

        route(policy, fleet, "a"); // used at 59 s: idle for 1 s at the next sweep
        context.mutableClock().advance(Duration.ofSeconds(1));
        policy.sweepIdle();
        assertThat(policy.stickyKeyCount()).isEqualTo(1);
        assertThat(fleet.stream().mapToInt(worker -> policy.keyCount(worker.id())).sum()).isEqualTo(1);
    }

    @Test
    void reassignsAKeyFoundIdleBeforeTheSweepRuns() {
        ManualPolicy policy = policy(new ManualPolicyConfig(60, AssignmentMode.MIN_LOAD, null));
        List<Worker> two = fleet.subList(0, 2);
        Worker first = route(policy, two, "k");
        Worker other = two.get(0) == first ? two.get(1) : two.get(0);
        FakeWorker.loadOf(first).inFlight(10);

        context.mutableClock().advance(Duration.ofSeconds(59));
        assertThat(route(policy, two, "k")).as("sticky despite its load").isSameAs(first);

        context.mutableClock().advance(Duration.ofSeconds(60));
        assertThat(route(policy, two, "k")).as("idle, so assigned afresh by load").isSameAs(other);
        assertThat(policy.keyCount(first.id())).isZero();
        assertThat(policy.keyCount(other.id())).isEqualTo(1);
    }

    @Test
    void minGroupGivesEveryWorkerTheSameNumberOfKeys() {
        ManualPolicy policy = policy(new ManualPolicyConfig(null, AssignmentMode.MIN_GROUP, null));
        FakeWorker.loadOf(fleet.get(0)).inFlight(50); // load plays no part in min_group
        for (int key = 0; key < 20; key++) {
            route(policy, fleet, "key-" + key);
        }
        assertThat(fleet).allSatisfy(worker -> assertThat(policy.keyCount(worker.id())).isEqualTo(5));
    }

    @Test
    void minLoadAssignsNewKeysToTheLeastLoadedWorker() {
        ManualPolicy policy = policy(new ManualPolicyConfig(null, AssignmentMode.MIN_LOAD, null));
        FakeWorker.loadOf(fleet.get(0)).inFlight(4);
        FakeWorker.loadOf(fleet.get(1)).inFlight(1);
        FakeWorker.loadOf(fleet.get(2)).inFlight(3);
        FakeWorker.loadOf(fleet.get(3)).inFlight(2);
        for (int key = 0; key < 10; key++) {
            assertThat(route(policy, fleet, "key-" + key)).isSameAs(fleet.get(1));
        }
    }

    @Test
    void reassignsWhileItsWorkerIsUnavailableAndReturnsWhenItRecovers() {
        ManualPolicy policy = policy(ManualPolicyConfig.defaults());
        Worker home = route(policy, fleet, "k");
        List<Worker> withoutHome = fleet.stream().filter(worker -> worker != home).toList();

        Worker standIn = route(policy, withoutHome, "k");
        assertThat(standIn).isNotSameAs(home);
        for (int i = 0; i < 5; i++) {
            assertThat(route(policy, withoutHome, "k")).isSameAs(standIn);
        }
        assertThat(route(policy, fleet, "k")).as("home is back").isSameAs(home);
        assertThat(branchCount("occupied_miss")).isEqualTo(1);
    }

    @Test
    void dropsTheAssignmentsOfARemovedWorker() {
        ManualPolicy policy = policy(new ManualPolicyConfig(null, AssignmentMode.MIN_GROUP, null));
        for (int key = 0; key < 8; key++) {
            route(policy, fleet, "key-" + key);
        }
        Worker removed = fleet.get(2);
        assertThat(policy.keyCount(removed.id())).isEqualTo(2);

        policy.onWorkerRemoved(removed);
        assertThat(policy.stickyKeyCount()).isEqualTo(6);
        assertThat(policy.keyCount(removed.id())).isZero();

        List<Worker> remaining = fleet.stream().filter(worker -> worker != removed).toList();
        for (int key = 0; key < 8; key++) {
            assertThat(route(policy, remaining, "key-" + key)).isNotSameAs(removed);
        }
        assertThat(branchCount("vacant")).isEqualTo(8 + 2);
    }

    @Test
    void schedulesItsSweepAndCancelsItWhenClosed() {
        ManualPolicy policy = new ManualPolicy(ManualPolicyConfig.defaults(), context.clock(), context.scheduler(),
                context.meterRegistry());
        assertThat(context.scheduledTasks()).isEqualTo(1);
        policy.close();
        assertThat(context.scheduledTasks()).isZero();
    }

    @Test
    void bindsSmgDefaultsFromAnEmptySection() throws Exception {
        assertThat(bind("{}", ManualPolicyConfig.class))
                .isEqualTo(new ManualPolicyConfig(14_400, AssignmentMode.RANDOM, 120));
    }

    @Test
    void bindsEverySnakeCaseKey() throws Exception {
        assertThat(bind("{'max_idle_secs': 60, 'assignment_mode': 'min_group', 'eviction_interval_secs': 10}",
                ManualPolicyConfig.class)).isEqualTo(new ManualPolicyConfig(60, AssignmentMode.MIN_GROUP, 10));
        assertThat(bind("{'assignment_mode': 'min_load'}", ManualPolicyConfig.class).assignmentMode())
                .isEqualTo(AssignmentMode.MIN_LOAD);
    }

    @Test
    void rejectsValuesItCannotServe() {
        assertThatThrownBy(() -> bind("{'assignment_mode': 'round_robin'}", ManualPolicyConfig.class))
                .isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("round_robin");
        assertThatThrownBy(() -> bind("{'max_idle_secs': 0}", ManualPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("max_idle_secs must be >= 1, not 0");
        assertThatThrownBy(() -> bind("{'eviction_interval_secs': -5}", ManualPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    private ManualPolicy policy(ManualPolicyConfig config) {
        ManualPolicy policy = new ManualPolicy(config, context.clock(), context.scheduler(), context.meterRegistry());
        created.add(policy);
        return policy;
    }

    private static Worker route(ManualPolicy policy, List<Worker> candidates, String key) {
        return policy.select(candidates, FakeRequest.withRoutingKey(key)).orElseThrow();
    }

    private double branchCount(String branch) {
        return context.meterRegistry().counter("smg_manual_policy_branch_total", "branch", branch).count();
    }
}
