package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateSetCacheTest {

    private final CandidateSetCache<String> cache = new CandidateSetCache<>(
            workers -> String.join(",", workers.stream().map(Worker::id).toList()));
    private final List<Worker> fleet = FakeWorker.fleet(4);

    @Test
    void reusesTheValueForTheSameListAndForAnEqualSnapshot() {
        String first = cache.get(fleet);
        assertThat(cache.get(fleet)).isSameAs(first);
        assertThat(cache.get(List.copyOf(new ArrayList<>(fleet)))).isSameAs(first);
        assertThat(cache.builds()).isEqualTo(1);
    }

    @Test
    void buildsAfreshWhenMembershipOrOrderDiffers() {
        cache.get(fleet);
        assertThat(cache.get(fleet.subList(1, 4))).isEqualTo("w1,w2,w3");
        assertThat(cache.get(List.of(fleet.get(1), fleet.get(0)))).isEqualTo("w1,w0");
        assertThat(cache.builds()).isEqualTo(3);
    }

    @Test
    void keepsAFewRecentMembershipsSoRetriesDoNotEvictTheUsualOne() {
        cache.get(fleet);
        for (int skip = 0; skip < 3; skip++) {
            int skipped = skip;
            cache.get(fleet.stream().filter(worker -> worker != fleet.get(skipped)).toList());
        }
        cache.get(fleet);
        assertThat(cache.builds()).isEqualTo(4);
        assertThat(cache.values()).hasSize(4).first().isEqualTo("w0,w1,w2,w3");
    }

    @Test
    void forgetsValuesBuiltOverARemovedWorker() {
        cache.get(fleet);
        cache.get(fleet.subList(0, 2));
        cache.forget("w3");
        assertThat(cache.values()).containsExactly("w0,w1");
        cache.get(fleet);
        assertThat(cache.builds()).isEqualTo(3);
    }
}
