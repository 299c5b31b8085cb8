package dev.shepherd.spi.worker;

import java.util.concurrent.CompletionStage;

/** Registers and removes workers; used by the control plane, the manifest and discovery plugins. */
public interface WorkerRegistryWriter {

    /**
     * Registers a worker. When the spec names no models they are discovered from the worker first.
     * Completes exceptionally with {@link IllegalArgumentException} for a bad spec and
     * {@link IllegalStateException} when a worker with the same URL is already registered.
     */
    CompletionStage<Worker> register(WorkerSpec spec);

    /** Removes a worker; returns false when no worker has that id. */
    boolean deregister(String workerId);
}
