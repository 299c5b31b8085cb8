package dev.shepherd.kernel.manifest;

import java.util.Set;

/**
 * The {@code logging} section.
 *
 * @param level root level for Shepherd's loggers: debug, info, warn, error (info)
 */
public record LoggingSection(String level) {

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    public LoggingSection {
        level = level == null ? "info" : level.toLowerCase(java.util.Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of trace, debug, info, warn, error; got " + level);
        }
    }
}
