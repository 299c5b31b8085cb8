package dev.shepherd.kernel.plugin;

import java.util.List;

/** Plugins could not be loaded or assembled; lists every reason. Stops start-up. */
public final class PluginLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginLoadException(List<String> faults) {
        super("plugins could not be loaded:\n  " + String.join("\n  ", faults));
    }
}
