package dev.shepherd.kernel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** SMG's users run thousands of workers: the request path must read them without per-request copies. */
class RegistryAtFleetScaleTest {

    private static final int FLEET = 4000;

    private static WorkerRegistry fleet() {
        WorkerRegistry registry = new WorkerRegistry(spec -> CompletableFuture.failedFuture(new AssertionError()), true);
        for (int i = 0; i < FLEET; i++) {
            String model = i % 2 == 0 ? "even" : "odd";
            registry.register(WorkerSpec.of("http://10.0." + (i / 250) + "." + (i % 250) + ":8000").withModels(List.of(model)))
                    .toCompletableFuture().join();
        }
        return registry;
    }

    @Test
    void candidateListsAreSharedSnapshotsNotPerRequestCopies() {
        WorkerRegistry registry = fleet();

        List<Worker> first = registry.availableFor("even");
        List<Worker> second = registry.availableFor("even");

        assertThat(first).hasSize(FLEET / 2).isSameAs(second);
        assertThat(registry.availableFor("")).hasSize(FLEET);
        assertThat(registry.all()).hasSize(FLEET);
    }

    @Test
    void removingOneWorkerPublishesANewSnapshotWithoutIt() {
        WorkerRegistry registry = fleet();
        List<Worker> before = registry.availableFor("odd");
        Worker gone = before.get(17);

        assertThat(registry.deregister(gone.id())).isTrue();

        assertThat(registry.availableFor("odd")).hasSize(FLEET / 2 - 1).doesNotContain(gone);
        assertThat(before).as("a snapshot taken earlier is never changed").hasSize(FLEET / 2).contains(gone);
    }
}
