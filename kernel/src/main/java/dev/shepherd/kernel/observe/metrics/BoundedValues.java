package dev.shepherd.kernel.observe.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Meters (or groups of meters) per label value, made once and cached, for at most {@code cap} distinct
 * values: every value past the cap, or refused by {@code accept}, shares the {@link #OTHER} entry. Keeps
 * labels taken from requests (model, error code) bounded and the hot path a single map read.
 */
final class BoundedValues<T> {

    /** The label value that stands for every value not given its own. */
    static final String OTHER = "other";

    private final Map<String, T> byValue = new ConcurrentHashMap<>();
    private final int cap;
    private final Function<String, T> factory;
    private final Predicate<String> accept;

    BoundedValues(int cap, Function<String, T> factory) {
        this(cap, factory, value -> true);
    }

    BoundedValues(int cap, Function<String, T> factory, Predicate<String> accept) {
        this.cap = cap;
        this.factory = factory;
        this.accept = accept;
    }

    T get(String value) {
        T found = byValue.get(value);
        return found != null ? found : create(value);
    }

    private T create(String value) {
        if (byValue.size() >= cap || !accept.test(value)) {
            return byValue.computeIfAbsent(OTHER, factory);
        }
        return byValue.computeIfAbsent(value, factory);
    }

    int size() {
        return byValue.size();
    }
}
