package dev.shepherd.plugin.middleware.wasm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The loaded modules in run order. Reads take an immutable snapshot without locking (the request path);
 * changes (load, hot reload, attach, delete) are serialized and swap the snapshot. A reloaded module
 * keeps its place in the order.
 */
final class ModuleRegistry {

    private final ModuleLoader loader;
    private volatile List<LoadedModule> modules = List.of();

    ModuleRegistry(ModuleLoader loader) {
        this.loader = loader;
    }

    /** The modules in run order. */
    List<LoadedModule> modules() {
        return modules;
    }

    /** True when some module is attached to {@code hook} (lets callers skip the thread hop). */
    boolean anyAttached(Hook hook) {
        for (LoadedModule module : modules) {
            if (module.attachedTo(hook)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Loads a module and adds it, replacing (in place) one of the same name. Loading happens before
     * the swap, so requests keep using the old version until the new one is ready.
     *
     * @throws InvalidModuleException when the bytes or configuration are refused
     */
    LoadedModule put(ModuleConfig config, byte[] wasm) {
        LoadedModule loaded = loader.load(config, wasm);
        LoadedModule replaced = null;
        synchronized (this) {
            List<LoadedModule> next = new ArrayList<>(modules);
            int index = indexOf(next, config.name());
            if (index >= 0) {
                replaced = next.set(index, loaded);
            } else {
                next.add(loaded);
            }
            modules = List.copyOf(next);
        }
        if (replaced != null) {
            // Same name, same meters: keep them registered for the new version.
            replaced.retire();
        }
        return loaded;
    }

    /** Finds a module by its id or name. */
    Optional<LoadedModule> find(String idOrName) {
        for (LoadedModule module : modules) {
            if (module.id().equals(idOrName) || module.name().equals(idOrName)) {
                return Optional.of(module);
            }
        }
        return Optional.empty();
    }

    Optional<LoadedModule> remove(String idOrName) {
        LoadedModule removed;
        synchronized (this) {
            removed = find(idOrName).orElse(null);
            if (removed == null) {
                return Optional.empty();
            }
            List<LoadedModule> next = new ArrayList<>(modules);
            next.remove(removed);
            modules = List.copyOf(next);
        }
        removed.retire();
        removed.metrics().remove();
        return Optional.of(removed);
    }

    void clear() {
        List<LoadedModule> all;
        synchronized (this) {
            all = modules;
            modules = List.of();
        }
        all.forEach(m -> {
            m.retire();
            m.metrics().remove();
        });
    }

    private static int indexOf(List<LoadedModule> list, String name) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
