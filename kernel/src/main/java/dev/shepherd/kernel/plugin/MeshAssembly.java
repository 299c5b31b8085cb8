package dev.shepherd.kernel.plugin;

import dev.shepherd.kernel.manifest.ConfigBinder;
import dev.shepherd.kernel.manifest.Manifest;
import dev.shepherd.kernel.manifest.ManifestException;
import dev.shepherd.kernel.manifest.MeshSection;
import dev.shepherd.spi.mesh.Mesh;
import dev.shepherd.spi.mesh.MeshFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates the one mesh the manifest enables, before every other plugin: its state store is what
 * they are all handed, so it must exist first (and is closed after them).
 */
public final class MeshAssembly {

    private MeshAssembly() {
    }

    /**
     * @return the running mesh, or null when {@code mesh.enabled} is off
     * @throws ManifestException when the named mesh plugin is not loaded or its config does not bind
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Mesh create(Manifest manifest, PluginHost host, KernelServices services) {
        MeshSection section = manifest.mesh();
        if (section == null || !section.enabled()) {
            return null;
        }
        List<String> faults = new ArrayList<>();
        ConfigBinder binder = new ConfigBinder(manifest.tree(), faults);
        Map<String, MeshFactory> factories = host.factories(MeshFactory.class);
        MeshFactory factory = factories.get(section.plugin());
        if (factory == null) {
            binder.fault("/mesh/plugin", "no mesh plugin named '" + section.plugin() + "' is loaded"
                    + (factories.isEmpty() ? " (none is loaded)" : " (loaded: " + String.join(", ", factories.keySet()) + ")"));
            throw new ManifestException(faults);
        }
        Record config = (Record) binder.bind("/mesh/config", factory.configType());
        if (!faults.isEmpty()) {
            throw new ManifestException(faults);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // gRPC and its transports look up providers through the context class loader.
        thread.setContextClassLoader(factory.getClass().getClassLoader());
        try {
            return (Mesh) factory.create(config, new KernelPluginContext(services, factory.name()));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
