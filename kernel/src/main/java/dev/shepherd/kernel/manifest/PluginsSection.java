package dev.shepherd.kernel.manifest;

import java.util.List;

/**
 * The {@code plugins} section.
 *
 * @param directory where drop-in plugin zips and jars are found, relative to the working
 *                  directory ({@code plugins}); the distribution's launcher points it at its own
 * @param disabled plugin ids not to load
 */
public record PluginsSection(String directory, List<String> disabled) {

    public PluginsSection {
        directory = directory == null ? "plugins" : directory;
        disabled = disabled == null ? List.of() : List.copyOf(disabled);
    }
}
