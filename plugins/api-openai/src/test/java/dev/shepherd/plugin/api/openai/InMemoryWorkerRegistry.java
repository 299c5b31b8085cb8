package dev.shepherd.plugin.api.openai;

import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerRegistryView;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A registry view that only knows model ids: all this API reads from it. */
final class InMemoryWorkerRegistry implements WorkerRegistryView {

    private volatile List<String> models = List.of();

    void serveModels(String... modelIds) {
        models = List.of(modelIds);
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public List<Worker> all() {
        return List.of();
    }

    @Override
    public List<Worker> forModel(String model) {
        return List.of();
    }

    @Override
    public Optional<Worker> get(String id) {
        return Optional.empty();
    }

    @Override
    public AutoCloseable addListener(Consumer<WorkerEvent> listener) {
        return () -> { };
    }
}
