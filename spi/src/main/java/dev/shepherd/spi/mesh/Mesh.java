package dev.shepherd.spi.mesh;

import dev.shepherd.spi.state.StateStore;

/**
 * Membership of a gateway cluster and the replicated state it carries. When a mesh is configured,
 * the kernel uses {@link #stateStore()} as every plugin's {@code PluginContext.stateStore()}.
 */
public interface Mesh extends AutoCloseable {

    /** The replicated store; writes made here reach every live node. */
    StateStore stateStore();

    /** A snapshot of the membership as this node sees it. */
    MeshStatus status();

    /** Leaves the cluster gracefully. */
    @Override
    void close();
}
