package dev.shepherd.spi.discovery;

import dev.shepherd.spi.worker.WorkerRegistryWriter;

/**
 * Finds workers and keeps the registry in step with them. Started once after the static workers are
 * registered; closed at shutdown, when it should stop watching (the kernel drains the workers).
 */
public interface Discovery extends AutoCloseable {

    /** Starts watching; registers what it finds through {@code registry}. Must not block for long. */
    void start(WorkerRegistryWriter registry);

    @Override
    default void close() {
    }
}
