package dev.shepherd.plugin.mesh.gossip.crdt;

import dev.shepherd.spi.state.StateStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StateStore} a mesh node hands to the kernel: local writes become CRDT entries stamped by
 * the node's hybrid logical clock, are merged into the replica and handed to the dissemination sink;
 * remote entries arrive through {@link #applyRemote}. Listeners hear both.
 */
public final class CrdtStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(CrdtStateStore.class);

    private final String nodeId;
    private final CrdtState state;
    private final HybridLogicalClock clock;
    private final Consumer<List<StateEntry>> disseminate;
    private final Map<String, List<BiConsumer<String, byte[]>>> listeners = new ConcurrentHashMap<>();

    /**
     * @param disseminate receives every entry this node changed, to spread to its peers
     */
    public CrdtStateStore(String nodeId, CrdtState state, HybridLogicalClock clock,
                          Consumer<List<StateEntry>> disseminate) {
        this.nodeId = StateEntry.checkPart(nodeId, "node id");
        this.state = state;
        this.clock = clock;
        this.disseminate = disseminate;
    }

    public CrdtState state() {
        return state;
    }

    @Override
    public Optional<byte[]> get(String namespace, String key) {
        return state.register(namespace, key).filter(r -> !r.isTombstone()).map(r -> r.value().clone());
    }

    @Override
    public void put(String namespace, String key, byte[] value) {
        writeLocal(new Register(namespace, key, value.clone(), clock.now(), nodeId));
    }

    @Override
    public void remove(String namespace, String key) {
        if (state.register(namespace, key).isPresent()) {
            writeLocal(new Register(namespace, key, null, clock.now(), nodeId));
        }
    }

    @Override
    public Map<String, byte[]> entries(String namespace) {
        Map<String, byte[]> result = new LinkedHashMap<>();
        for (Register r : state.registers(namespace)) {
            result.put(r.key(), r.value().clone());
        }
        return result;
    }

    @Override
    public long addToCounter(String namespace, String key, long delta) {
        // Only this node writes its own shard, so read-modify-write under our lock is race-free.
        synchronized (this) {
            CounterShard mine = state.shard(namespace, key, nodeId)
                    .orElseGet(() -> new CounterShard(namespace, key, nodeId, 0, 0));
            StateEntry stored = state.mergeOne(mine.add(delta, clock.wallMillis()));
            if (stored != null) {
                disseminate.accept(List.of(stored));
            }
        }
        return state.counter(namespace, key);
    }

    @Override
    public long counter(String namespace, String key) {
        return state.counter(namespace, key);
    }

    @Override
    public AutoCloseable subscribe(String namespace, BiConsumer<String, byte[]> listener) {
        List<BiConsumer<String, byte[]>> list = listeners.computeIfAbsent(namespace, n -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    /** Merges entries received from a peer; returns those that changed this replica (to spread further). */
    public List<StateEntry> applyRemote(List<StateEntry> entries) {
        for (StateEntry entry : entries) {
            if (entry instanceof Register r) {
                clock.observe(r.timestamp());
            }
        }
        List<StateEntry> changed = state.merge(entries);
        changed.forEach(this::notifyListeners);
        return changed;
    }

    private void writeLocal(Register register) {
        StateEntry stored = state.mergeOne(register);
        if (stored != null) {
            notifyListeners(stored);
            disseminate.accept(List.of(stored));
        }
    }

    private void notifyListeners(StateEntry entry) {
        if (!(entry instanceof Register r)) {
            return; // counters are read on demand; nobody needs a callback per increment
        }
        List<BiConsumer<String, byte[]>> list = listeners.get(r.namespace());
        if (list == null) {
            return;
        }
        for (BiConsumer<String, byte[]> listener : list) {
            try {
                listener.accept(r.key(), r.value() == null ? null : r.value().clone());
            } catch (RuntimeException e) {
                LOG.warn("state listener for namespace {} failed on key {}", r.namespace(), r.key(), e);
            }
        }
    }
}
