package dev.shepherd.kernel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerStatus;
import dev.shepherd.spi.worker.WorkerType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {

    private final AtomicInteger discoveries = new AtomicInteger();

    @Test
    void aWorkerWithModelsIsRegisteredWithoutAskingIt() {
        WorkerRegistry registry = new WorkerRegistry(spec -> {
            discoveries.incrementAndGet();
            return CompletableFuture.completedFuture(List.of("asked"));
        }, true);

        Worker worker = register(registry, spec("http://a:1", "llama"));

        assertThat(discoveries).hasValue(0);
        assertThat(worker.models()).containsExactly("llama");
        assertThat(worker.status()).isEqualTo(WorkerStatus.READY);
        assertThat(worker.id()).isNotBlank();
        assertThat(registry.get(worker.id())).containsSame(worker);
        assertThat(registry.registered(worker.id())).containsSame((RegisteredWorker) worker);
        assertThat(registry.all()).containsExactly(worker);
    }

    @Test
    void aWorkerWithoutModelsIsAskedForThem() {
        WorkerRegistry registry = new WorkerRegistry(spec -> {
            discoveries.incrementAndGet();
            return CompletableFuture.completedFuture(List.of("m1", "m2"));
        }, true);

        Worker worker = register(registry, WorkerSpec.of("http://a:1"));

        assertThat(discoveries).hasValue(1);
        assertThat(worker.models()).containsExactly("m1", "m2");
        assertThat(((RegisteredWorker) worker).needsDiscovery()).isFalse();
        assertThat(registry.models()).containsExactly("m1", "m2");
    }

    @Test
    void withHealthChecksANewWorkerIsPendingUntilProbed() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), false);

        Worker worker = register(registry, spec("http://a:1", "m"));

        assertThat(worker.status()).isEqualTo(WorkerStatus.PENDING);
        assertThat(registry.availableFor("m")).isEmpty();
        assertThat(registry.forModel("m")).containsExactly(worker);
    }

    @Test
    void aSecondWorkerWithTheSameUrlIsRefused() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), true);
        register(registry, spec("http://a:1", "m"));

        CompletableFuture<Worker> second = registry.register(spec("http://a:1/", "other")).toCompletableFuture();

        assertThatThrownBy(second::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).cause().hasMessageContaining("http://a:1");
        assertThat(registry.all()).hasSize(1);
    }

    @Test
    void aWorkerThatCannotBeAskedIsRegisteredPendingAndMarkedForDiscovery() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), true);

        RegisteredWorker worker = (RegisteredWorker) register(registry, WorkerSpec.of("http://a:1"));

        assertThat(worker.status()).as("not routable even with health checks off").isEqualTo(WorkerStatus.PENDING);
        assertThat(worker.needsDiscovery()).isTrue();
        assertThat(worker.models()).isEmpty();
        assertThat(registry.availableFor("anything")).isEmpty();
    }

    @Test
    void availableWorkersAreFilteredByStatusAndModelAndIncludeWildcards() {
        // Asked for its models, a provider-style worker names none: it serves any model.
        WorkerRegistry registry = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of()), true);
        Worker a = register(registry, spec("http://a:1", "m1"));
        RegisteredWorker b = (RegisteredWorker) register(registry, spec("http://b:1", "m1"));
        Worker c = register(registry, spec("http://c:1", "m2"));
        Worker any = register(registry, WorkerSpec.of("http://any:1"));
        assertThat(any.models()).isEmpty();
        assertThat(any.status()).isEqualTo(WorkerStatus.READY);

        registry.updateStatus(b, WorkerStatus.NOT_READY);

        assertThat(registry.availableFor("m1")).containsExactly(a, any);
        assertThat(registry.forModel("m1")).containsExactly(a, b, any);
        assertThat(registry.availableFor("m2")).containsExactly(c, any);
        assertThat(registry.availableFor("unknown")).containsExactly(any);
        assertThat(registry.availableFor("")).as("no model: every available worker").containsExactly(a, c, any);
        assertThat(registry.forModel("")).containsExactly(a, b, c, any);
        assertThat(registry.models()).containsExactly("m1", "m2");

        registry.updateStatus(b, WorkerStatus.READY);

        assertThat(registry.availableFor("m1")).containsExactly(a, b, any);
    }

    @Test
    void knownModelsAreThoseSomeWorkerServes() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), false);
        register(registry, spec("http://a:1", "m1"));

        assertThat(registry.knowsModel("m1")).as("whatever its status").isTrue();
        assertThat(registry.knowsModel("m2")).isFalse();
        assertThat(registry.knowsModel("")).isTrue();
    }

    @Test
    void snapshotsAreImmutableAndDoNotChangeAfterwards() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), true);
        Worker a = register(registry, spec("http://a:1", "m"));
        List<Worker> all = registry.all();
        List<Worker> forModel = registry.forModel("m");
        List<Worker> available = registry.availableFor("m");
        List<String> models = registry.models();

        register(registry, spec("http://b:1", "m", "n"));
        registry.deregister(a.id());

        assertThat(all).containsExactly(a);
        assertThat(forModel).containsExactly(a);
        assertThat(available).containsExactly(a);
        assertThat(models).containsExactly("m");
        assertThatThrownBy(() -> all.add(a)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> forModel.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> available.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> models.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> registry.availableFor("zzz").add(a)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listenersHearAdditionsChangesAndRemovals() throws Exception {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), true);
        List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = registry.addListener(events::add);

        RegisteredWorker worker = (RegisteredWorker) register(registry, spec("http://a:1", "m"));
        registry.updateStatus(worker, WorkerStatus.NOT_READY);
        registry.updateStatus(worker, WorkerStatus.NOT_READY);
        registry.updateModels(worker, List.of("m", "n"));
        registry.deregister(worker.id());

        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Added", "Changed", "Changed", "Removed");
        assertThat(events).allSatisfy(e -> assertThat(e.worker()).isSameAs(worker));

        subscription.close();
        register(registry, spec("http://b:1", "m"));

        assertThat(events).hasSize(4);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), true);
        List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        registry.addListener(e -> {
            throw new IllegalStateException("boom");
        });
        registry.addListener(events::add);

        register(registry, spec("http://a:1", "m"));

        assertThat(events).hasSize(1);
    }

    @Test
    void statusChangesOfARemovedWorkerAreIgnored() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), true);
        RegisteredWorker worker = (RegisteredWorker) register(registry, spec("http://a:1", "m"));
        registry.deregister(worker.id());
        List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        registry.addListener(events::add);

        registry.updateStatus(worker, WorkerStatus.NOT_READY);

        assertThat(events).isEmpty();
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void deregisteringAnUnknownWorkerReportsFalse() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), true);
        Worker worker = register(registry, spec("http://a:1", "m"));

        assertThat(registry.deregister("no-such-id")).isFalse();
        assertThat(registry.deregister(worker.id())).isTrue();
        assertThat(registry.deregister(worker.id())).isFalse();
        assertThat(registry.get(worker.id())).isEmpty();
        assertThat(registry.models()).isEmpty();
    }

    @Test
    void theUrlIsTheIdentityForLookups() {
        WorkerRegistry registry = new WorkerRegistry(unreachable(), true);
        Worker worker = register(registry, new WorkerSpec("http://a:1/", List.of("m"), WorkerType.DECODE, null,
                Map.of("zone", "a"), "sk", 7, 0.5));

        assertThat(registry.findByUrl("http://a:1")).containsSame((RegisteredWorker) worker);
        assertThat(worker.type()).isEqualTo(WorkerType.DECODE);
        assertThat(worker.backend()).isEqualTo(WorkerSpec.DEFAULT_BACKEND);
        assertThat(worker.labels()).containsEntry("zone", "a");
        assertThat(worker.apiKey()).contains("sk");
        assertThat(worker.priority()).isEqualTo(7);
        assertThat(worker.cost()).isEqualTo(0.5);
    }

    private static ModelDiscoverer unreachable() {
        return spec -> CompletableFuture.failedFuture(new IOException("connection refused"));
    }

    private static WorkerSpec spec(String url, String... models) {
        return WorkerSpec.of(url).withModels(List.of(models));
    }

    private static Worker register(WorkerRegistry registry, WorkerSpec spec) {
        return registry.register(spec).toCompletableFuture().join();
    }
}
