package dev.shepherd.plugin.mesh.gossip.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdtStateTest {

    private final long[] wall = {10_000};
    private final List<StateEntry> sent = new ArrayList<>();

    private CrdtStateStore store(String node, long ttl) {
        return new CrdtStateStore(node, new CrdtState(() -> wall[0], ttl), new HybridLogicalClock(() -> wall[0]),
                sent::addAll);
    }

    @Test
    void laterWriteWinsEvenWhenItsWallClockLagsBecauseTheHlcObservedTheEarlierOne() {
        CrdtStateStore fast = new CrdtStateStore("a", CrdtState.withoutTombstoneCollection(),
                new HybridLogicalClock(() -> 50_000), sent::addAll);
        CrdtStateStore slow = new CrdtStateStore("b", CrdtState.withoutTombstoneCollection(),
                new HybridLogicalClock(() -> 1_000), sent::addAll);
        fast.put("ns", "k", new byte[] {1});
        slow.applyRemote(List.copyOf(sent));
        sent.clear();
        slow.put("ns", "k", new byte[] {2});
        fast.applyRemote(List.copyOf(sent));
        assertThat(fast.get("ns", "k")).hasValueSatisfying(v -> assertThat(v).containsExactly(2));
        assertThat(slow.get("ns", "k")).hasValueSatisfying(v -> assertThat(v).containsExactly(2));
    }

    @Test
    void removalIsATombstoneThatBeatsAnOlderWriteArrivingLate() {
        CrdtStateStore a = store("a", Long.MAX_VALUE);
        a.put("ns", "k", new byte[] {1});
        Register oldWrite = (Register) sent.get(0);
        wall[0]++;
        a.remove("ns", "k");
        assertThat(a.applyRemote(List.of(oldWrite))).isEmpty();
        assertThat(a.get("ns", "k")).isEmpty();
        assertThat(a.entries("ns")).isEmpty();
    }

    @Test
    void tombstonesAreCollectedAfterTheirTtlAndExpiredOnesAreNotTakenBack() {
        CrdtStateStore a = store("a", 1_000);
        a.put("ns", "k", new byte[] {1});
        a.remove("ns", "k");
        Register tombstone = (Register) sent.get(1);
        assertThat(a.state().collectTombstones()).isZero();
        wall[0] += 1_001;
        assertThat(a.state().collectTombstones()).isEqualTo(1);
        assertThat(a.state().size()).isZero();
        assertThat(a.state().digests()).containsOnly(0L);
        assertThat(a.applyRemote(List.of(tombstone))).isEmpty();
    }

    @Test
    void pnCounterSumsEveryNodesIncrementsAndDecrements() {
        CrdtStateStore a = store("a", Long.MAX_VALUE);
        CrdtStateStore b = store("b", Long.MAX_VALUE);
        a.addToCounter("rl", "tenant", 5);
        a.addToCounter("rl", "tenant", -2);
        b.applyRemote(List.copyOf(sent));
        sent.clear();
        assertThat(b.addToCounter("rl", "tenant", 10)).isEqualTo(13);
        a.applyRemote(List.copyOf(sent));
        assertThat(a.counter("rl", "tenant")).isEqualTo(13);
        assertThat(a.state().shard("rl", "tenant", "a")).hasValue(new CounterShard("rl", "tenant", "a", 5, 2, wall[0]));
    }

    @Test
    void aCounterIdleOnEveryNodeForItsTtlIsCollectedWholeButOneStillInUseKeepsEveryShard() {
        CrdtStateStore a = new CrdtStateStore("a", new CrdtState(() -> wall[0], Long.MAX_VALUE, 1_000),
                new HybridLogicalClock(() -> wall[0]), sent::addAll);
        a.addToCounter("rl", "old-window", 3);
        a.addToCounter("rl", "live", 1);
        CounterShard oldShardOfB = new CounterShard("rl", "live", "b", 7, 0, wall[0]);
        a.applyRemote(List.of(oldShardOfB));
        wall[0] += 600;
        a.addToCounter("rl", "live", 1); // a keeps using it; b's shard is as old as old-window's
        wall[0] += 600;
        assertThat(a.state().collectTombstones()).isEqualTo(1);
        assertThat(a.counter("rl", "old-window")).isZero();
        assertThat(a.counter("rl", "live")).isEqualTo(9);
        CounterShard late = (CounterShard) sent.get(0); // old-window's shard, gossiped back late
        assertThat(a.applyRemote(List.of(late))).isEmpty();
        CrdtState remaining = CrdtState.withoutTombstoneCollection();
        remaining.merge(a.state().snapshot().values());
        assertThat(a.state().digests()).isEqualTo(remaining.digests()); // collection kept digests exact
    }

    @Test
    void listenersHearLocalAndRemoteChangesAndStopAfterClosing() throws Exception {
        CrdtStateStore a = store("a", Long.MAX_VALUE);
        CrdtStateStore b = store("b", Long.MAX_VALUE);
        List<String> heard = new ArrayList<>();
        AutoCloseable handle = b.subscribe("ns", (k, v) -> heard.add(k + "=" + (v == null ? "gone" : v[0])));
        a.put("ns", "k", new byte[] {7});
        b.applyRemote(List.copyOf(sent));
        b.remove("ns", "k");
        handle.close();
        b.put("ns", "x", new byte[] {1});
        assertThat(heard).containsExactly("k=7", "k=gone");
    }

    @Test
    void pagesShipOnlyTheBucketsThatDiffer() {
        CrdtStateStore a = store("a", Long.MAX_VALUE);
        for (int i = 0; i < 200; i++) {
            a.put("ns", "k" + i, new byte[] {1});
        }
        CrdtStateStore b = store("b", Long.MAX_VALUE);
        CrdtPropertiesTest.pull(b, a, 7);
        assertThat(b.state().snapshot()).isEqualTo(a.state().snapshot());
        a.put("ns", "k5", new byte[] {2});
        CrdtState.Page page = a.state().page("", b.state().digests(), 1_000);
        assertThat(page.entries()).hasSizeLessThan(20).extracting(StateEntry::key).contains("k5");
        assertThat(a.state().page("", a.state().digests(), 1_000).entries()).isEmpty();
    }
}
