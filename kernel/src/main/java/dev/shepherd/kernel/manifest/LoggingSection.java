package dev.shepherd.kernel.manifest;

import dev.shepherd.kernel.observe.logging.LoggingOptions;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code logging} section.
 *
 * @param level Shepherd's loggers and the access log: trace, debug, info, warn, error (info); other
 *     libraries log at warn and above
 * @param json one JSON object per line instead of text (false)
 * @param dir also write a daily rolling {@code smg.log} into this directory (none: console only)
 * @param maxHistoryDays rolled daily files kept in {@code dir} (7)
 * @param accessLog one {@code smg.access} line per request at info (true)
 */
public record LoggingSection(String level, Boolean json, String dir, Integer maxHistoryDays, Boolean accessLog) {

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    public LoggingSection {
        level = level == null ? "info" : level.toLowerCase(java.util.Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of trace, debug, info, warn, error; got " + level);
        }
        json = json != null && json;
        dir = dir == null || dir.isBlank() ? null : dir;
        maxHistoryDays = maxHistoryDays == null ? LoggingOptions.DEFAULT_MAX_HISTORY_DAYS : maxHistoryDays;
        accessLog = accessLog == null || accessLog;
        if (maxHistoryDays < 1) {
            throw new IllegalArgumentException("max_history_days must be at least 1; got " + maxHistoryDays);
        }
    }

    /** The section with only a level (the rest default). */
    public LoggingSection(String level) {
        this(level, null, null, null, null);
    }

    /** What {@code LoggingSetup.apply} takes. */
    public LoggingOptions toOptions() {
        return new LoggingOptions(level, json, dir == null ? null : Path.of(dir), maxHistoryDays, accessLog);
    }
}
