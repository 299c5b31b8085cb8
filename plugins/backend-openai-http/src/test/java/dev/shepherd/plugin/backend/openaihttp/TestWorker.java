package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.worker.CircuitState;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerLoad;
import dev.shepherd.spi.worker.WorkerStatus;
import dev.shepherd.spi.worker.WorkerType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A ready worker at a URL, with or without a bearer key or data-parallel rank; the identity fields the backend reads. */
record TestWorker(String url, Optional<String> apiKey, OptionalInt dpRank) implements Worker {

    TestWorker(String url, Optional<String> apiKey) {
        this(url, apiKey, OptionalInt.empty());
    }

    /** Rank {@code rank} of a data-parallel engine at {@code url}. */
    static TestWorker rank(String url, int rank) {
        return new TestWorker(url, Optional.empty(), OptionalInt.of(rank));
    }

    static TestWorker at(String url) {
        return new TestWorker(url, Optional.empty());
    }

    static TestWorker at(String url, String apiKey) {
        return new TestWorker(url, Optional.of(apiKey));
    }

    @Override
    public String id() {
        return url;
    }

    @Override
    public List<String> models() {
        return List.of();
    }

    @Override
    public WorkerType type() {
        return WorkerType.REGULAR;
    }

    @Override
    public String backend() {
        return OpenAiHttpBackendFactory.NAME;
    }

    @Override
    public Map<String, String> labels() {
        return Map.of();
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public double cost() {
        return 1.0;
    }

    @Override
    public WorkerStatus status() {
        return WorkerStatus.READY;
    }

    @Override
    public CircuitState circuitState() {
        return CircuitState.CLOSED;
    }

    @Override
    public WorkerLoad load() {
        return new WorkerLoad() {
            @Override
            public int inFlight() {
                return 0;
            }

            @Override
            public long queuedPromptTokens() {
                return 0;
            }

            @Override
            public double kvCacheUsage() {
                return -1;
            }
        };
    }
}
