package dev.shepherd.kernel.server;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Undertow's request headers seen as the SPI's {@code Map<String, List<String>>} without copying
 * them: lookups go straight to Undertow's case-insensitive map; only iterating builds entries.
 */
final class HeaderMapView extends AbstractMap<String, List<String>> {

    private final HeaderMap headers;

    HeaderMapView(HeaderMap headers) {
        this.headers = headers;
    }

    @Override
    public List<String> get(Object key) {
        return key instanceof String name ? headers.get(name) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && headers.contains(name);
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        Set<Entry<String, List<String>>> entries = new LinkedHashSet<>();
        for (HeaderValues values : headers) {
            entries.add(new SimpleImmutableEntry<>(values.getHeaderName().toString().toLowerCase(Locale.ROOT),
                    List.copyOf(values)));
        }
        return entries;
    }
}
