package dev.shepherd.spi;

import java.util.List;
import java.util.Map;

/**
 * HTTP headers with lower-case names. The map is treated as immutable; build a new one to change it.
 *
 * @param values header name (lower case) to its values in arrival order
 */
public record Headers(Map<String, List<String>> values) {

    public static final Headers EMPTY = new Headers(Map.of());

    /** The first value of {@code name} (any case), or null when absent. */
    public String first(String name) {
        List<String> list = values.get(name.toLowerCase(java.util.Locale.ROOT));
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    public boolean contains(String name) {
        return values.containsKey(name.toLowerCase(java.util.Locale.ROOT));
    }
}
