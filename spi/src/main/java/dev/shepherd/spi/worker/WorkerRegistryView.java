package dev.shepherd.spi.worker;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A read-only view of the registered workers. Lists are immutable snapshots that are cheap to take
 * (copy-on-write): taking one per request is fine.
 */
public interface WorkerRegistryView {

    /** Every registered worker, in registration order. */
    List<Worker> all();

    /** Workers that serve {@code model}, including wildcard workers, whatever their status. */
    List<Worker> forModel(String model);

    Optional<Worker> get(String id);

    /** The distinct model ids served, in first-registration order. */
    List<String> models();

    /**
     * Calls {@code listener} after every registry change, on the thread that made it. Listeners must be
     * quick and must not call back into the writer. Returns a handle that removes the listener.
     */
    AutoCloseable addListener(Consumer<WorkerEvent> listener);
}
