package dev.shepherd.kernel.plugin;

import dev.shepherd.spi.ExtensionFactory;
import dev.shepherd.spi.SpiVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins and their extension factories: drop-in zips and jars from the plugins directory,
 * each in its own class loader that sees only the shared packages, plus (in development and tests)
 * factories on the kernel's own class path. Refuses plugins built for another SPI version.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    private final ShepherdPluginManager manager;

    /**
     * @param pluginsDirectory where drop-in plugins live; may not exist
     * @param disabled plugin ids not to load
     * @throws PluginLoadException listing every plugin that could not be loaded or is incompatible
     */
    public PluginHost(Path pluginsDirectory, List<String> disabled) {
        this.manager = new ShepherdPluginManager(pluginsDirectory);
        manager.setSystemVersion(SpiVersion.CURRENT);
        if (Files.isDirectory(pluginsDirectory)) {
            manager.loadPlugins();
            disabled.forEach(manager::disablePlugin);
            manager.startPlugins();
        } else {
            LOG.info("plugins directory {} does not exist: using plugins on the class path only", pluginsDirectory);
        }
        List<String> faults = new ArrayList<>();
        for (PluginWrapper plugin : manager.getPlugins()) {
            if (disabled.contains(plugin.getPluginId())) {
                continue;
            }
            if (!manager.isCompatible(plugin)) {
                faults.add("plugin '" + plugin.getPluginId() + "' requires SPI " + plugin.getDescriptor().getRequires()
                        + " but this gateway provides SPI " + SpiVersion.CURRENT);
            } else if (plugin.getPluginState() != PluginState.STARTED) {
                Throwable cause = plugin.getFailedException();
                faults.add("plugin '" + plugin.getPluginId() + "' did not start (" + plugin.getPluginState() + ")"
                        + (cause == null ? "" : ": " + cause));
            } else {
                LOG.info("loaded plugin {} {} from {}", plugin.getPluginId(), plugin.getDescriptor().getVersion(),
                        plugin.getPluginPath().getFileName());
            }
        }
        if (!faults.isEmpty()) {
            throw new PluginLoadException(faults);
        }
    }

    /**
     * Every factory of one kind, by name. Two factories with the same name are an error.
     *
     * @throws PluginLoadException on duplicate names
     */
    @SuppressWarnings("rawtypes")
    public <F extends ExtensionFactory> Map<String, F> factories(Class<F> kind) {
        Map<String, F> byName = new LinkedHashMap<>();
        List<String> faults = new ArrayList<>();
        for (F factory : manager.getExtensions(kind)) {
            F previous = byName.putIfAbsent(factory.name(), factory);
            if (previous != null && previous.getClass() != factory.getClass()) {
                faults.add(kind.getSimpleName() + " '" + factory.name() + "' is provided twice: by "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        if (!faults.isEmpty()) {
            throw new PluginLoadException(faults);
        }
        return byName;
    }

    /** The id of the plugin an extension comes from; {@code classpath} for one on the kernel's class path. */
    public String pluginIdOf(Object extension) {
        PluginWrapper plugin = manager.whichPlugin(extension.getClass());
        return plugin == null ? "classpath" : plugin.getPluginId();
    }

    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }

    /** PF4J's manager with Shepherd's class-loading policy. */
    private static final class ShepherdPluginManager extends DefaultPluginManager {

        ShepherdPluginManager(Path pluginsDirectory) {
            super(List.of(pluginsDirectory));
        }

        @Override
        public RuntimeMode getRuntimeMode() {
            return RuntimeMode.DEPLOYMENT;
        }

        @Override
        protected PluginLoader createPluginLoader() {
            return new CompoundPluginLoader()
                    .add(new IsolatedJarPluginLoader(this))
                    .add(new IsolatedDirectoryPluginLoader(this));
        }

        boolean isCompatible(PluginWrapper plugin) {
            return isPluginValid(plugin);
        }
    }

    private static PluginClassLoader isolatedLoader(org.pf4j.PluginManager manager, PluginDescriptor descriptor) {
        return new PluginClassLoader(manager, descriptor,
                new SharedPackagesClassLoader(PluginHost.class.getClassLoader()), ClassLoadingStrategy.PDA);
    }

    /** Loads an unpacked plugin zip (plugin.properties, classes/, lib/) in an isolated loader. */
    private static final class IsolatedDirectoryPluginLoader extends DefaultPluginLoader {
        IsolatedDirectoryPluginLoader(org.pf4j.PluginManager manager) {
            super(manager);
        }

        @Override
        protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
            return isolatedLoader(pluginManager, descriptor);
        }
    }

    /** Loads a single-jar plugin (descriptor in its manifest) in an isolated loader. */
    private static final class IsolatedJarPluginLoader extends JarPluginLoader {
        IsolatedJarPluginLoader(org.pf4j.PluginManager manager) {
            super(manager);
        }

        @Override
        public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
            PluginClassLoader loader = isolatedLoader(pluginManager, descriptor);
            loader.addFile(pluginPath.toFile());
            return loader;
        }
    }
}
