package dev.shepherd.plugin.mesh.gossip.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The lattice laws of the merge, over a small key space so that collisions are frequent. */
class CrdtPropertiesTest {

    @Property
    void mergeIsCommutative(@ForAll("states") List<StateEntry> a, @ForAll("states") List<StateEntry> b) {
        assertSameState(merged(a, b), merged(b, a));
    }

    @Property
    void mergeIsAssociative(@ForAll("states") List<StateEntry> a, @ForAll("states") List<StateEntry> b,
                            @ForAll("states") List<StateEntry> c) {
        CrdtState left = merged(a, b);
        left.merge(c);
        CrdtState bc = merged(b, c);
        CrdtState right = merged(a);
        right.merge(bc.snapshot().values());
        assertSameState(left, right);
    }

    @Property
    void mergeIsIdempotent(@ForAll("states") List<StateEntry> a) {
        CrdtState once = merged(a);
        CrdtState twice = merged(a, a);
        twice.merge(once.snapshot().values());
        assertSameState(once, twice);
        assertThat(once.merge(a)).isEmpty();
    }

    @Property
    void digestsDependOnlyOnContent(@ForAll("states") List<StateEntry> a, @ForAll long seed) {
        List<StateEntry> shuffled = new ArrayList<>(a);
        java.util.Collections.shuffle(shuffled, new Random(seed));
        assertThat(merged(shuffled).digests()).isEqualTo(merged(a).digests());
    }

    @Property(tries = 200)
    void replicasConvergeUnderReorderingDuplicationAndLossOnceAntiEntropyRuns(
            @ForAll @IntRange(min = 2, max = 6) int replicas, @ForAll("operations") List<int[]> operations,
            @ForAll long seed) {
        Random random = new Random(seed);
        long[] wall = {1000};
        List<List<StateEntry>> inFlight = new ArrayList<>();
        List<CrdtStateStore> stores = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            // Clocks deliberately disagree: HLC and the writer tie-break must still make one winner.
            long skew = random.nextInt(5);
            stores.add(new CrdtStateStore("n" + i, CrdtState.withoutTombstoneCollection(),
                    new HybridLogicalClock(() -> wall[0] + skew), inFlight::add));
        }
        long[] expectedCounter = new long[2];
        for (int[] op : operations) {
            CrdtStateStore store = stores.get(op[0] % replicas);
            String key = "k" + op[2];
            switch (op[1]) {
                case 0 -> store.put("ns", key, new byte[] {(byte) op[3]});
                case 1 -> store.remove("ns", key);
                default -> {
                    int counter = op[2] % 2;
                    store.addToCounter("rl", "c" + counter, op[3] - 5);
                    expectedCounter[counter] += op[3] - 5;
                }
            }
            if (random.nextInt(4) == 0) {
                wall[0]++;
            }
            // Gossip some of what is in flight now: any order, some lost, some duplicated.
            deliver(inFlight, stores, random);
        }
        deliver(inFlight, stores, random);
        antiEntropy(stores);

        CrdtState reference = stores.get(0).state();
        for (CrdtStateStore store : stores) {
            assertSameState(store.state(), reference);
            assertThat(store.counter("rl", "c0")).isEqualTo(expectedCounter[0]);
            assertThat(store.counter("rl", "c1")).isEqualTo(expectedCounter[1]);
        }
    }

    private static void deliver(List<List<StateEntry>> inFlight, List<CrdtStateStore> stores, Random random) {
        List<List<StateEntry>> batch = new ArrayList<>(inFlight);
        inFlight.clear();
        java.util.Collections.shuffle(batch, random);
        for (List<StateEntry> delta : batch) {
            for (CrdtStateStore store : stores) {
                int copies = random.nextInt(3); // 0 = lost, 2 = duplicated
                for (int c = 0; c < copies; c++) {
                    store.applyRemote(delta);
                }
            }
        }
        inFlight.clear(); // re-gossip of received deltas is the mesh's job; the CRDT must not need it
    }

    /** Pairwise digest-driven pulls, as the mesh's anti-entropy does, until nothing differs. */
    static void antiEntropy(List<CrdtStateStore> stores) {
        for (int round = 0; round < 2; round++) {
            for (CrdtStateStore puller : stores) {
                for (CrdtStateStore peer : stores) {
                    pull(puller, peer, 3);
                }
            }
        }
    }

    static void pull(CrdtStateStore puller, CrdtStateStore peer, int pageSize) {
        long[] digests = puller.state().digests();
        String after = "";
        do {
            CrdtState.Page page = peer.state().page(after, digests, pageSize);
            puller.applyRemote(page.entries());
            after = page.nextAfterId();
        } while (!after.isEmpty());
    }

    private static CrdtState merged(List<StateEntry> first, List<StateEntry> second) {
        CrdtState state = merged(first);
        state.merge(second);
        return state;
    }

    private static CrdtState merged(List<StateEntry> entries) {
        CrdtState state = CrdtState.withoutTombstoneCollection();
        state.merge(entries);
        return state;
    }

    private static void assertSameState(CrdtState a, CrdtState b) {
        assertThat(a.snapshot()).isEqualTo(b.snapshot());
        assertThat(a.digests()).isEqualTo(b.digests());
    }

    @Provide
    Arbitrary<List<StateEntry>> states() {
        Arbitrary<String> ns = Arbitraries.of("a", "b");
        Arbitrary<String> key = Arbitraries.of("k1", "k2", "k3");
        Arbitrary<String> node = Arbitraries.of("n1", "n2", "n3");
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(2).injectNull(0.3);
        Arbitrary<Hlc> hlc = Combinators.combine(Arbitraries.longs().between(0, 3), Arbitraries.integers().between(0, 2))
                .as(Hlc::new);
        Arbitrary<StateEntry> register = Combinators.combine(ns, key, value, hlc, node).as(Register::new);
        Arbitrary<Long> sum = Arbitraries.longs().between(0, 5);
        Arbitrary<StateEntry> shard = Combinators.combine(ns, key, node, sum, sum, Arbitraries.longs().between(0, 3))
                .as(CounterShard::new);
        return Arbitraries.oneOf(register, shard).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<int[]>> operations() {
        Arbitrary<int[]> op = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 9)).as((r, kind, key, v) -> new int[] {r, kind, key, v});
        return op.list().ofMaxSize(40);
    }
}
