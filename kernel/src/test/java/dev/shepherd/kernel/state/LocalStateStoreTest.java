package dev.shepherd.kernel.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LocalStateStoreTest {

    private final LocalStateStore store = new LocalStateStore();

    @Test
    void aValuePutCanBeReadAndRemoved() {
        store.put("ns", "k", bytes("v1"));
        store.put("ns", "k", bytes("v2"));

        assertThat(store.get("ns", "k")).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("v2"));
        assertThat(store.get("ns", "other")).isEmpty();
        assertThat(store.get("other-ns", "k")).as("namespaces are separate").isEmpty();

        store.remove("ns", "k");

        assertThat(store.get("ns", "k")).isEmpty();
    }

    @Test
    void storedBytesAreCopiedInAndOut() {
        byte[] value = bytes("abc");
        store.put("ns", "k", value);
        value[0] = 'X';

        byte[] read = store.get("ns", "k").orElseThrow();
        read[1] = 'Y';

        assertThat(text(store.get("ns", "k").orElseThrow())).isEqualTo("abc");
        store.entries("ns").get("k")[2] = 'Z';
        assertThat(text(store.get("ns", "k").orElseThrow())).isEqualTo("abc");
    }

    @Test
    void entriesAreASnapshotOfTheNamespace() {
        store.put("ns", "a", bytes("1"));
        store.put("ns", "b", bytes("2"));
        store.put("elsewhere", "c", bytes("3"));

        Map<String, byte[]> entries = store.entries("ns");
        store.put("ns", "later", bytes("4"));

        assertThat(entries).containsOnlyKeys("a", "b");
        assertThat(text(entries.get("b"))).isEqualTo("2");
        assertThat(store.entries("empty")).isEmpty();
    }

    @Test
    void countersStartAtZeroAndAddUp() {
        assertThat(store.counter("ns", "hits")).isZero();

        assertThat(store.addToCounter("ns", "hits", 5)).isEqualTo(5);
        assertThat(store.addToCounter("ns", "hits", -2)).isEqualTo(3);

        assertThat(store.counter("ns", "hits")).isEqualTo(3);
        assertThat(store.counter("other", "hits")).isZero();
    }

    @Test
    void concurrentIncrementsAreNotLost() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        store.addToCounter("ns", "n", 1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.counter("ns", "n")).isEqualTo(4000);
    }

    @Test
    void subscribersHearPutsAndRemovalsOfTheirNamespaceUntilTheyUnsubscribe() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = store.subscribe("ns", (key, value) -> heard.add(key + "=" + (value == null ? null : text(value))));

        store.put("ns", "a", bytes("1"));
        store.put("other", "b", bytes("2"));
        store.remove("ns", "a");
        store.remove("ns", "never-there");
        subscription.close();
        store.put("ns", "c", bytes("3"));

        assertThat(heard).containsExactly("a=1", "a=null");
    }

    @Test
    void aSubscriberCannotChangeTheStoredValue() {
        store.subscribe("ns", (key, value) -> value[0] = 'X');

        store.put("ns", "k", bytes("abc"));

        assertThat(text(store.get("ns", "k").orElseThrow())).isEqualTo("abc");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
