package dev.shepherd.spi.worker;

/** A change in the worker registry, delivered to {@link WorkerRegistryView#addListener} listeners. */
public sealed interface WorkerEvent {

    Worker worker();

    /** A worker was registered. */
    record Added(Worker worker) implements WorkerEvent {
    }

    /** A worker was removed; its id will not be routed to again. */
    record Removed(Worker worker) implements WorkerEvent {
    }

    /** A worker's status or circuit state changed. */
    record Changed(Worker worker) implements WorkerEvent {
    }
}
