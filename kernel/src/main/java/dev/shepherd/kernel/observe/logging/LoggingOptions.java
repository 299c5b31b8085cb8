package dev.shepherd.kernel.observe.logging;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * How the gateway logs.
 *
 * @param level the level of Shepherd's own loggers and the access log: trace, debug, info, warn, error
 *     ({@code --log-level}, default info); other libraries log at warn and above
 * @param json one JSON object per line instead of text ({@code --log-json})
 * @param dir when set, also a daily rolling {@code smg.log} in this directory ({@code --log-dir})
 * @param maxHistoryDays how many rolled daily files are kept (default {@value #DEFAULT_MAX_HISTORY_DAYS})
 * @param accessLog whether logger {@code smg.access} writes a line per request (default true); off, the
 *     access log costs nothing (about 20 µs of CPU per request when on)
 */
public record LoggingOptions(String level, boolean json, Path dir, int maxHistoryDays, boolean accessLog) {

    public static final int DEFAULT_MAX_HISTORY_DAYS = 7;
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    public LoggingOptions {
        level = level == null ? "info" : level.strip().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("log level must be one of trace, debug, info, warn, error; got " + level);
        }
        if (maxHistoryDays < 1) {
            throw new IllegalArgumentException("the log history must keep at least 1 day; got " + maxHistoryDays);
        }
    }

    /** {@code level}, JSON or text, an optional directory; history and the access log at their defaults. */
    public static LoggingOptions of(String level, boolean json, Path dir) {
        return new LoggingOptions(level, json, dir, DEFAULT_MAX_HISTORY_DAYS, true);
    }

    /** Text at info on the console only. */
    public static LoggingOptions defaults() {
        return of("info", false, null);
    }
}
