package dev.shepherd.kernel.observe.tracing;

import dev.shepherd.spi.worker.CircuitState;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerLoad;
import dev.shepherd.spi.worker.WorkerStatus;
import dev.shepherd.spi.worker.WorkerType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A worker with an id, a URL and an API key; nothing live. */
public record StubWorker(String id, String url, Optional<String> apiKey) implements Worker {

    public StubWorker(String id, String url) {
        this(id, url, Optional.of("worker-secret-key-" + id));
    }

    @Override
    public List<String> models() {
        return List.of("m");
    }

    @Override
    public WorkerType type() {
        return WorkerType.REGULAR;
    }

    @Override
    public String backend() {
        return "openai_http";
    }

    @Override
    public Map<String, String> labels() {
        return Map.of();
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public double cost() {
        return 1;
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
