package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BucketPolicyTest {

    /** Balance thresholds no test traffic reaches, to observe the buckets alone. */
    private static final int NEVER_IMBALANCED = Integer.MAX_VALUE;

    private final TestPluginContext context = new TestPluginContext();
    private final List<BucketPolicy> created = new ArrayList<>();

    @AfterEach
    void close() {
        created.forEach(BucketPolicy::close);
        context.close();
    }

    @Test
    void splitsTheInitialLengthRangeEvenlyOverWorkersRankedById() {
        BucketPolicy policy = policy(new BucketPolicyConfig(null, 4096, null, NEVER_IMBALANCED, null));
        List<Worker> shuffled = shuffled(FakeWorker.fleet(4));
        // Cuts at 1024, 2048 and 3072; the last bucket is open-ended.
        assertThat(route(policy, shuffled, 10).id()).isEqualTo("w0");
        assertThat(route(policy, shuffled, 1_023).id()).isEqualTo("w0");
        assertThat(route(policy, shuffled, 1_024).id()).isEqualTo("w1");
        assertThat(route(policy, shuffled, 2_500).id()).isEqualTo("w2");
        assertThat(route(policy, shuffled, 100_000).id()).isEqualTo("w3");
    }

    @Test
    void routesByConfiguredBoundaries() {
        BucketPolicy policy = policy(new BucketPolicyConfig(List.of(1_000, 5_000), null, null, NEVER_IMBALANCED, null));
        List<Worker> workers = shuffled(FakeWorker.fleet(3));
        assertThat(route(policy, workers, 10).id()).isEqualTo("w0");
        assertThat(route(policy, workers, 2_000).id()).isEqualTo("w1");
        assertThat(route(policy, workers, 9_000).id()).isEqualTo("w2");
    }

    @Test
    void sharesAWorkerBetweenBucketsWhenThereAreFewerWorkers() {
        BucketPolicy policy = policy(new BucketPolicyConfig(List.of(1_000, 5_000), null, null, NEVER_IMBALANCED, null));
        List<Worker> workers = FakeWorker.fleet(2);
        assertThat(route(policy, workers, 10).id()).isEqualTo("w0");
        assertThat(route(policy, workers, 2_000).id()).isEqualTo("w0");
        assertThat(route(policy, workers, 9_000).id()).isEqualTo("w1");
    }

    @Test
    void sharesABucketBetweenWorkersWhenThereAreMoreWorkers() {
        BucketPolicy policy = policy(new BucketPolicyConfig(List.of(1_000), null, null, NEVER_IMBALANCED, null));
        List<Worker> workers = FakeWorker.fleet(4);
        List<String> shortOnes = new ArrayList<>();
        List<String> longOnes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            shortOnes.add(route(policy, workers, 100).id());
            longOnes.add(route(policy, workers, 3_000).id());
        }
        // Within a bucket, the worker that received fewer characters takes the next request.
        assertThat(shortOnes).containsExactly("w0", "w1", "w0", "w1");
        assertThat(longOnes).containsExactly("w2", "w3", "w2", "w3");
    }

    @Test
    void sendsARequestToTheQuietestWorkerWhenTheWindowIsImbalanced() {
        BucketPolicy policy = policy(BucketPolicyConfig.defaults());
        List<Worker> workers = FakeWorker.fleet(2);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picked.add(route(policy, workers, 100).id()); // all in w0's bucket
        }
        // 100 characters against 0 exceeds both thresholds (64 and 1.5x), so w1 takes every other one.
        assertThat(picked).containsExactly("w0", "w1", "w0", "w1");
    }

    @Test
    void forgetsTrafficOlderThanTwoIntervals() {
        BucketPolicy policy = policy(BucketPolicyConfig.defaults());
        List<Worker> workers = FakeWorker.fleet(2);
        assertThat(route(policy, workers, 100).id()).isEqualTo("w0");
        policy.adjust();
        assertThat(route(policy, workers, 100).id()).as("w0's 100 characters still count").isEqualTo("w1");
        policy.adjust();
        policy.adjust();
        assertThat(route(policy, workers, 100).id()).as("balanced again: back to the bucket").isEqualTo("w0");
    }

    @Test
    void learnsBoundariesThatShareCharactersEvenly() {
        BucketPolicy policy = policy(new BucketPolicyConfig(null, null, null, NEVER_IMBALANCED, null));
        List<Worker> workers = FakeWorker.fleet(2);
        for (int i = 0; i < 100; i++) {
            assertThat(route(policy, workers, 100).id()).isEqualTo("w0");
            assertThat(route(policy, workers, 1_000).id()).isEqualTo("w0"); // under the initial cut at 2048
        }
        policy.adjust();
        assertThat(policy.learnedCutsFor(2)).containsExactly(960);
        assertThat(route(policy, workers, 100).id()).isEqualTo("w0");
        assertThat(route(policy, workers, 1_000).id()).isEqualTo("w1");
    }

    @Test
    void keepsConfiguredBoundariesWhateverTheTraffic() {
        BucketPolicy policy = policy(new BucketPolicyConfig(List.of(5_000), null, null, NEVER_IMBALANCED, null));
        List<Worker> workers = FakeWorker.fleet(2);
        for (int i = 0; i < 100; i++) {
            route(policy, workers, 100);
            route(policy, workers, 1_000);
        }
        policy.adjust();
        assertThat(route(policy, workers, 1_000).id()).isEqualTo("w0");
    }

    @Test
    void schedulesItsAdjustmentAndCancelsItWhenClosed() {
        BucketPolicy policy = new BucketPolicy(BucketPolicyConfig.defaults(), context.scheduler());
        assertThat(context.scheduledTasks()).isEqualTo(1);
        policy.close();
        assertThat(context.scheduledTasks()).isZero();
    }

    @Test
    void bindsSmgDefaultsFromAnEmptySection() throws Exception {
        BucketPolicyConfig config = bind("{}", BucketPolicyConfig.class);
        assertThat(config).isEqualTo(new BucketPolicyConfig(List.of(), 4096, 5, 64, 1.5));
        assertThat(config.learnsBoundaries()).isTrue();
    }

    @Test
    void bindsEverySnakeCaseKey() throws Exception {
        BucketPolicyConfig config = bind("{'boundaries': [1000, 5000], 'initial_max_length': 8192, "
                + "'adjust_interval_secs': 10, 'balance_abs_threshold': 128, 'balance_rel_threshold': 2.0}",
                BucketPolicyConfig.class);
        assertThat(config).isEqualTo(new BucketPolicyConfig(List.of(1_000, 5_000), 8192, 10, 128, 2.0));
        assertThat(config.learnsBoundaries()).isFalse();
    }

    @Test
    void rejectsValuesItCannotServe() {
        assertThatThrownBy(() -> bind("{'boundaries': [5000, 1000]}", BucketPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("boundaries must be strictly increasing lengths >= 1, not [5000, 1000]");
        assertThatThrownBy(() -> bind("{'boundaries': [0, 10]}", BucketPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bind("{'balance_rel_threshold': 0.5}", BucketPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bind("{'adjust_interval_secs': 0}", BucketPolicyConfig.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    private BucketPolicy policy(BucketPolicyConfig config) {
        BucketPolicy policy = new BucketPolicy(config, context.scheduler());
        created.add(policy);
        return policy;
    }

    private static Worker route(BucketPolicy policy, List<Worker> candidates, int promptLength) {
        return policy.select(candidates, FakeRequest.withText("x".repeat(promptLength))).orElseThrow();
    }

    private static List<Worker> shuffled(List<Worker> workers) {
        List<Worker> copy = new ArrayList<>(workers);
        Collections.shuffle(copy, new Random(3));
        return List.copyOf(copy);
    }
}
