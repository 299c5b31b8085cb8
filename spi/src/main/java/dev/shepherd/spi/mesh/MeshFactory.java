package dev.shepherd.spi.mesh;

import dev.shepherd.spi.ExtensionFactory;

/** Creates the {@link Mesh} that joins this gateway node to its peers. At most one is configured. */
public interface MeshFactory<C extends Record> extends ExtensionFactory<C, Mesh> {
}
