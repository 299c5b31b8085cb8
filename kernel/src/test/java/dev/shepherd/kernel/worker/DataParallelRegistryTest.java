package dev.shepherd.kernel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerSpec;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SMG's {@code --dp-aware}: one logical worker per data-parallel rank of an engine. */
class DataParallelRegistryTest {

    private final AtomicInteger sizeQuestions = new AtomicInteger();
    private final AtomicInteger discoveries = new AtomicInteger();

    private WorkerRegistry dpAware(int engineDpSize) {
        return new WorkerRegistry(spec -> {
            discoveries.incrementAndGet();
            return CompletableFuture.completedFuture(List.of("m"));
        }, true, () -> null, spec -> {
            sizeQuestions.incrementAndGet();
            return CompletableFuture.completedFuture(engineDpSize);
        });
    }

    @Test
    void anEngineIsRegisteredOncePerRankSharingItsUrl() {
        WorkerRegistry registry = dpAware(4);
        List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        registry.addListener(events::add);

        Worker first = registry.register(WorkerSpec.of("http://e:1/")).toCompletableFuture().join();

        assertThat(sizeQuestions).hasValue(1);
        assertThat(discoveries).as("models are asked once for all ranks").hasValue(1);
        assertThat(first.dpRank()).isEqualTo(OptionalInt.of(0));
        assertThat(registry.registeredWorkers()).extracting(RegisteredWorker::logicalUrl)
                .containsExactly("http://e:1@0", "http://e:1@1", "http://e:1@2", "http://e:1@3");
        assertThat(registry.registeredWorkers()).allSatisfy(w -> {
            assertThat(w.url()).isEqualTo("http://e:1");
            assertThat(w.models()).containsExactly("m");
            assertThat(w.spec().dpSize()).isEqualTo(4);
        });
        assertThat(registry.registeredWorkers()).extracting(Worker::id).doesNotHaveDuplicates();
        assertThat(registry.availableFor("m")).hasSize(4);
        assertThat(events).hasSize(4).allMatch(e -> e instanceof WorkerEvent.Added);
    }

    @Test
    void aSpecsOwnDpSizeIsTakenWithoutAskingTheEngine() {
        WorkerRegistry registry = dpAware(8);

        registry.register(new WorkerSpec("http://e:1", List.of("m"), null, null, null, null, null, null, null, 2))
                .toCompletableFuture().join();

        assertThat(sizeQuestions).hasValue(0);
        assertThat(registry.registeredWorkers()).extracting(RegisteredWorker::logicalUrl)
                .containsExactly("http://e:1@0", "http://e:1@1");
    }

    @Test
    void anEngineWithOneRankOrThatCannotTellStaysAPlainWorker() {
        WorkerRegistry one = dpAware(1);
        Worker plain = one.register(WorkerSpec.of("http://e:1")).toCompletableFuture().join();
        assertThat(plain.dpRank()).isEmpty();

        WorkerRegistry silent = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of("m")), true,
                () -> null, spec -> CompletableFuture.failedFuture(new IOException("connection refused")));
        Worker unknown = silent.register(WorkerSpec.of("http://e:1")).toCompletableFuture().join();
        assertThat(unknown.dpRank()).isEmpty();
        assertThat(silent.all()).hasSize(1);
    }

    @Test
    void withoutDpAwarenessTheEngineIsNeverAsked() {
        WorkerRegistry registry = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of("m")), true);

        Worker worker = registry.register(WorkerSpec.of("http://e:1")).toCompletableFuture().join();

        assertThat(worker.dpRank()).isEmpty();
        assertThat(registry.all()).hasSize(1);
    }

    @Test
    void theBaseUrlRemovesEveryRankAndUrlAtRankJustOne() {
        WorkerRegistry registry = dpAware(3);
        registry.register(WorkerSpec.of("http://e:1")).toCompletableFuture().join();
        registry.register(WorkerSpec.of("http://other:2")).toCompletableFuture().join();

        List<RegisteredWorker> rank1 = registry.workersAt("http://e:1@1");
        assertThat(rank1).hasSize(1);
        registry.deregister(rank1.get(0).id());
        assertThat(registry.workersAt("http://e:1")).extracting(RegisteredWorker::logicalUrl)
                .containsExactly("http://e:1@0", "http://e:1@2");

        registry.workersAt("http://e:1/").forEach(w -> registry.deregister(w.id()));

        assertThat(registry.registeredWorkers()).extracting(RegisteredWorker::url).containsOnly("http://other:2");
        // Once every rank is gone the URL is free again, as a plain worker too.
        Worker again = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of("m")), true)
                .register(WorkerSpec.of("http://e:1")).toCompletableFuture().join();
        assertThat(again.url()).isEqualTo("http://e:1");
    }

    @Test
    void aRegisteredEngineCannotBeRegisteredAgainInEitherShape() {
        WorkerRegistry registry = dpAware(2);
        registry.register(WorkerSpec.of("http://e:1")).toCompletableFuture().join();

        assertThatThrownBy(() -> registry.register(WorkerSpec.of("http://e:1")).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> registry.register(WorkerSpec.of("http://e:1").withDpRank(1, 2))
                .toCompletableFuture().join()).hasCauseInstanceOf(IllegalStateException.class);

        WorkerRegistry plain = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of("m")), true);
        plain.register(WorkerSpec.of("http://p:1")).toCompletableFuture().join();
        assertThatThrownBy(() -> plain.register(WorkerSpec.of("http://p:1").withDpRank(0, 2))
                .toCompletableFuture().join()).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSpecNamingItsRankRegistersJustThatRank() {
        WorkerRegistry registry = dpAware(4);

        Worker rank = registry.register(WorkerSpec.of("http://e:1").withDpRank(2, 4)).toCompletableFuture().join();

        assertThat(sizeQuestions).hasValue(0);
        assertThat(rank.dpRank()).isEqualTo(OptionalInt.of(2));
        assertThat(registry.all()).hasSize(1);
    }

    @Test
    void aSpecRejectsARankOutsideItsSize() {
        assertThatThrownBy(() -> WorkerSpec.of("http://e:1").withDpRank(4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dp_rank");
        assertThatThrownBy(() -> new WorkerSpec("http://e:1", null, null, null, null, null, null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dp_size");
    }
}
