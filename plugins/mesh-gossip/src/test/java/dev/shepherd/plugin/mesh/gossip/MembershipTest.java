package dev.shepherd.plugin.mesh.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.plugin.mesh.gossip.swim.Disseminator;
import dev.shepherd.plugin.mesh.gossip.swim.Member;
import dev.shepherd.plugin.mesh.gossip.swim.MemberState;
import dev.shepherd.plugin.mesh.gossip.swim.Membership;
import dev.shepherd.plugin.mesh.gossip.crdt.Hlc;
import dev.shepherd.plugin.mesh.gossip.crdt.CounterShard;
import dev.shepherd.plugin.mesh.gossip.crdt.Register;
import dev.shepherd.plugin.mesh.gossip.wire.Envelope;
import dev.shepherd.plugin.mesh.gossip.wire.EnvelopeCodec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SWIM's rules in isolation: override order, refutation, suspicion timeout, retention, quorum. */
class MembershipTest {

    private final long[] now = {0};
    private final Membership membership = new Membership(alive("self", 5), () -> now[0], 1000, 5000, new Random(1));

    @Test
    void higherIncarnationWinsAndAtEqualIncarnationsTheWorseStateWins() {
        assertThat(membership.apply(alive("b", 1))).isPresent();
        assertThat(membership.apply(alive("b", 1).with(MemberState.SUSPECT))).isPresent();
        assertThat(membership.apply(alive("b", 1))).isEmpty();
        assertThat(membership.apply(alive("b", 2))).isPresent();
        assertThat(membership.apply(alive("b", 1).with(MemberState.DEAD))).isEmpty();
        assertThat(membership.get("b")).hasValue(alive("b", 2));
    }

    @Test
    void aSuspicionOfSelfIsRefutedWithAHigherIncarnation() {
        assertThat(membership.apply(alive("self", 5).with(MemberState.SUSPECT))).hasValue(alive("self", 6));
        assertThat(membership.apply(alive("self", 9).with(MemberState.DEAD))).hasValue(alive("self", 10));
        assertThat(membership.apply(alive("self", 3).with(MemberState.DEAD))).isEmpty();
        assertThat(membership.self()).isEqualTo(alive("self", 10));
    }

    @Test
    void suspicionTimesOutIntoDeathAndTheDeadAreForgottenAfterRetention() {
        membership.apply(alive("b", 1));
        membership.apply(alive("c", 1));
        assertThat(membership.suspect(alive("b", 0))).isEmpty(); // probed an older incarnation
        assertThat(membership.suspect(alive("b", 1))).isPresent();
        now[0] = 999;
        assertThat(membership.expireSuspicions()).isEmpty();
        now[0] = 1000;
        assertThat(membership.expireSuspicions()).containsExactly(alive("b", 1).with(MemberState.DEAD));
        assertThat(membership.partitioned()).isFalse(); // 2 of 3
        membership.suspect(alive("c", 1));
        now[0] = 2000;
        membership.expireSuspicions();
        assertThat(membership.partitioned()).isTrue(); // 1 of 3
        now[0] = 7000;
        assertThat(membership.forgetDeparted()).containsExactlyInAnyOrder("b", "c");
        assertThat(membership.partitioned()).isFalse(); // the baseline shrank back to ourselves
    }

    @Test
    void probeTargetsCycleThroughEveryReachableMember() {
        membership.apply(alive("b", 1));
        membership.apply(alive("c", 1));
        membership.apply(alive("d", 1).with(MemberState.DEAD));
        var seen = new java.util.HashSet<String>();
        seen.add(membership.nextProbeTarget().orElseThrow().id());
        seen.add(membership.nextProbeTarget().orElseThrow().id());
        assertThat(seen).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void disseminatorSendsEachUpdateLogNTimesLeastSentFirst() {
        Disseminator<String> d = new Disseminator<>(2, () -> 3, 100); // 2 * ceil(log2(4)) = 4
        d.offer("x", "x1");
        d.offer("x", "x2");
        for (int i = 0; i < 4; i++) {
            assertThat(d.take(10)).containsExactly("x2");
        }
        assertThat(d.take(10)).isEmpty();
    }

    @Test
    void envelopesSurviveTheCodec() {
        Envelope e = new Envelope(alive("a", 3), List.of(alive("b", 1).with(MemberState.SUSPECT)),
                List.of(new Register("ns", "k", new byte[] {1, 2}, new Hlc(10, 2), "a"),
                        new Register("ns", "gone", null, new Hlc(11, 0), "b"),
                        new CounterShard("rl", "t", "a", 5, 2)),
                alive("c", 9), new long[] {1, -1}, "cursor", false);
        Envelope back = EnvelopeCodec.decode(EnvelopeCodec.encode(e));
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
    }

    private static Member alive(String id, long incarnation) {
        return new Member(id, id + ":1", MemberState.ALIVE, incarnation);
    }
}
