package dev.shepherd.spi.worker;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A registered inference worker: a self-hosted engine or a cloud provider endpoint. Instances are
 * owned by the kernel; identity fields never change, while {@link #status()}, {@link #circuitState()}
 * and {@link #load()} are live. Implementations are thread-safe.
 */
public interface Worker {

    /** A stable id, unique in the registry. */
    String id();

    /**
     * The base URL, e.g. {@code http://gpu1:8000}: where requests go. The ranks of a data-parallel
     * engine share it and differ by {@link #dpRank()}.
     */
    String url();

    /**
     * The data-parallel rank this worker stands for, when it is one of the {@code dp_size} logical
     * workers of a data-parallel engine (SMG's {@code --dp-aware}). A backend passes it to the engine
     * (e.g. {@code data_parallel_rank} in the request body) so the engine serves the request on that rank.
     */
    default OptionalInt dpRank() {
        return OptionalInt.empty();
    }

    /** The model ids the worker serves; empty means any model (a wildcard worker). */
    List<String> models();

    WorkerType type();

    /** The name of the backend plugin that talks to this worker ({@code openai_http} by default). */
    String backend();

    Map<String, String> labels();

    /** The bearer token the gateway sends to this worker, if any. Never logged or listed. */
    Optional<String> apiKey();

    int priority();

    double cost();

    WorkerStatus status();

    CircuitState circuitState();

    WorkerLoad load();

    /** True when the worker may receive a new request now: ready and its circuit not open. */
    default boolean isAvailable() {
        return status() == WorkerStatus.READY && circuitState() != CircuitState.OPEN;
    }

    /** True when the worker serves {@code model} (a wildcard worker serves every model). */
    default boolean serves(String model) {
        return models().isEmpty() || models().contains(model);
    }
}
