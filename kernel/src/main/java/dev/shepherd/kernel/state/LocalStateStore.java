package dev.shepherd.kernel.state;

import dev.shepherd.spi.state.StateStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/** The state store of a gateway running without a mesh: plain concurrent maps on this node. */
public final class LocalStateStore implements StateStore {

    private final Map<String, Map<String, byte[]>> values = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicLong>> counters = new ConcurrentHashMap<>();
    private final Map<String, List<BiConsumer<String, byte[]>>> listeners = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> get(String namespace, String key) {
        return Optional.ofNullable(namespace(namespace).get(key)).map(byte[]::clone);
    }

    @Override
    public void put(String namespace, String key, byte[] value) {
        namespace(namespace).put(key, value.clone());
        notify(namespace, key, value);
    }

    @Override
    public void remove(String namespace, String key) {
        if (namespace(namespace).remove(key) != null) {
            notify(namespace, key, null);
        }
    }

    @Override
    public Map<String, byte[]> entries(String namespace) {
        Map<String, byte[]> copy = new HashMap<>();
        namespace(namespace).forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    @Override
    public long addToCounter(String namespace, String key, long delta) {
        return counters.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> new AtomicLong()).addAndGet(delta);
    }

    @Override
    public long counter(String namespace, String key) {
        AtomicLong value = counters.getOrDefault(namespace, Map.of()).get(key);
        return value == null ? 0 : value.get();
    }

    @Override
    public AutoCloseable subscribe(String namespace, BiConsumer<String, byte[]> listener) {
        List<BiConsumer<String, byte[]>> list = listeners.computeIfAbsent(namespace, n -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    private Map<String, byte[]> namespace(String namespace) {
        return values.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    }

    private void notify(String namespace, String key, byte[] value) {
        for (BiConsumer<String, byte[]> listener : listeners.getOrDefault(namespace, List.of())) {
            listener.accept(key, value == null ? null : value.clone());
        }
    }
}
