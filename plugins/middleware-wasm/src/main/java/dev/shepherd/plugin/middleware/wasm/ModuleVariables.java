package dev.shepherd.plugin.middleware.wasm;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Variables and counters one loaded module keeps between calls. Shared by all pooled instances of the
 * module (so state survives an instance replaced after a trap and stays consistent whichever instance
 * serves a request) and dropped when the module is deleted or replaced. Bounded in count and size.
 */
final class ModuleVariables {

    private final Map<String, byte[]> values = new ConcurrentHashMap<>();
    private final Map<String, Window> counters = new ConcurrentHashMap<>();
    private final Clock clock;

    ModuleVariables(Clock clock) {
        this.clock = clock;
    }

    /** The value, or null when unset. */
    byte[] get(String key) {
        return values.get(key);
    }

    /** Sets (or with null, deletes) a value; false when the module already holds too many. */
    boolean set(String key, byte[] value) {
        if (value == null) {
            values.remove(key);
            return true;
        }
        if (values.size() >= GuestAbi.MAX_VARIABLES && !values.containsKey(key)) {
            return false;
        }
        values.put(key, Arrays.copyOf(value, value.length));
        return true;
    }

    /**
     * Atomically adds {@code delta} to a fixed-window counter and returns the new count; the count
     * restarts at zero when the window that held it ends ({@code windowMillis} 0: never). Returns
     * {@link Long#MIN_VALUE} when the module already holds too many counters.
     */
    long add(String key, long delta, long windowMillis) {
        long now = clock.millis();
        if (counters.size() >= GuestAbi.MAX_VARIABLES && !counters.containsKey(key)) {
            // Expired windows are dead weight: drop them before refusing.
            counters.values().removeIf(w -> w.expired(now));
            if (counters.size() >= GuestAbi.MAX_VARIABLES) {
                return Long.MIN_VALUE;
            }
        }
        Window updated = counters.compute(key, (k, current) -> {
            if (current == null || current.expired(now) || current.windowMillis != windowMillis) {
                long start = windowMillis > 0 ? now - Math.floorMod(now, windowMillis) : 0;
                return new Window(start, windowMillis, delta);
            }
            return new Window(current.start, windowMillis, current.count + delta);
        });
        return updated.count;
    }

    private record Window(long start, long windowMillis, long count) {
        boolean expired(long now) {
            return windowMillis > 0 && now >= start + windowMillis;
        }
    }
}
