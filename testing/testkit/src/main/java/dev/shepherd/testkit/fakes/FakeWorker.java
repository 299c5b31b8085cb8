package dev.shepherd.testkit.fakes;

import dev.shepherd.spi.worker.CircuitState;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerStatus;
import dev.shepherd.spi.worker.WorkerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A ready regular worker whose load a test controls. */
public final class FakeWorker implements Worker {

    private final String id;
    private final String url;
    private final Optional<String> apiKey;
    private final OptionalInt dpRank;
    private final FakeWorkerLoad load = new FakeWorkerLoad();

    /** A worker at {@code http://<id>:8000} without a key. */
    public FakeWorker(String id) {
        this(id, "http://" + id + ":8000", null);
    }

    /** A worker with its own URL and bearer key (null for none). */
    public FakeWorker(String id, String url, String apiKey) {
        this(id, url, apiKey, OptionalInt.empty());
    }

    private FakeWorker(String id, String url, String apiKey, OptionalInt dpRank) {
        this.id = id;
        this.url = url;
        this.apiKey = Optional.ofNullable(apiKey);
        this.dpRank = dpRank;
    }

    /** Rank {@code rank} of a data-parallel engine at {@code url}. */
    public static FakeWorker rank(String url, int rank) {
        return new FakeWorker(url + "@" + rank, url, null, OptionalInt.of(rank));
    }

    /** A worker whose id is its URL, without a key. */
    public static FakeWorker at(String url) {
        return new FakeWorker(url, url, null);
    }

    /** A worker whose id is its URL, with a bearer key. */
    public static FakeWorker at(String url, String apiKey) {
        return new FakeWorker(url, url, apiKey);
    }

    /** Workers {@code w0 .. w(count-1)}. */
    public static List<Worker> fleet(int count) {
        return fleet("w", count);
    }

    public static List<Worker> fleet(String prefix, int count) {
        List<Worker> workers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            workers.add(new FakeWorker(prefix + i));
        }
        return List.copyOf(workers);
    }

    /** The controllable load of {@code worker}, which must be a fake. */
    public static FakeWorkerLoad loadOf(Worker worker) {
        return ((FakeWorker) worker).load;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String url() {
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
        return "openai_http";
    }

    @Override
    public Map<String, String> labels() {
        return Map.of();
    }

    @Override
    public Optional<String> apiKey() {
        return apiKey;
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
    public OptionalInt dpRank() {
        return dpRank;
    }

    @Override
    public FakeWorkerLoad load() {
        return load;
    }

    @Override
    public String toString() {
        return id;
    }
}
