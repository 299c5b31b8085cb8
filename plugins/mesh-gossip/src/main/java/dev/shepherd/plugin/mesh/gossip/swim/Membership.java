package dev.shepherd.plugin.mesh.gossip.swim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * This node's member table: applies gossiped claims by {@link Member#supersedes}, refutes claims
 * that this node is suspect or dead, times suspicions out into deaths, forgets the dead after a
 * retention period, and chooses probe targets round-robin over a shuffled list (SWIM's bound on
 * the time until every member is probed).
 *
 * <p>Every method returns the claims that changed the table, for the caller to disseminate.
 */
public final class Membership {

    private final String selfId;
    private final LongSupplier clock;
    private final long suspicionTimeoutMillis;
    private final long deadRetentionMillis;
    private final Random random;
    private final Map<String, Member> members = new HashMap<>();
    /** When each non-alive member entered its current state: suspicion timeout and dead retention. */
    private final Map<String, Long> since = new HashMap<>();
    private final List<String> probeOrder = new ArrayList<>();
    private int probeIndex;
    private boolean leaving;

    public Membership(Member self, LongSupplier clock, long suspicionTimeoutMillis, long deadRetentionMillis,
                      Random random) {
        this.selfId = self.id();
        this.clock = clock;
        this.suspicionTimeoutMillis = suspicionTimeoutMillis;
        this.deadRetentionMillis = deadRetentionMillis;
        this.random = random;
        members.put(selfId, self);
    }

    public synchronized Member self() {
        return members.get(selfId);
    }

    /** Applies a claim; returns what should be gossiped as a result (the claim, or our refutation). */
    public synchronized Optional<Member> apply(Member claim) {
        if (claim.id().equals(selfId)) {
            return refuteIfNeeded(claim);
        }
        Member current = members.get(claim.id());
        if (!claim.supersedes(current)) {
            return Optional.empty();
        }
        put(claim);
        return Optional.of(claim);
    }

    private Optional<Member> refuteIfNeeded(Member claim) {
        Member self = members.get(selfId);
        if (leaving || claim.state() == MemberState.ALIVE || claim.incarnation() < self.incarnation()) {
            return Optional.empty();
        }
        Member refuted = new Member(selfId, self.address(), MemberState.ALIVE, claim.incarnation() + 1);
        members.put(selfId, refuted);
        return Optional.of(refuted);
    }

    /** Marks a member that failed its probe suspect, if it is still alive at the incarnation probed. */
    public synchronized Optional<Member> suspect(Member probed) {
        Member current = members.get(probed.id());
        if (current == null || current.state() != MemberState.ALIVE || current.incarnation() != probed.incarnation()) {
            return Optional.empty();
        }
        Member suspect = current.with(MemberState.SUSPECT);
        put(suspect);
        return Optional.of(suspect);
    }

    /** Declares dead the members suspected for longer than the suspicion timeout. */
    public synchronized List<Member> expireSuspicions() {
        long now = clock.getAsLong();
        List<Member> dead = new ArrayList<>();
        for (Member m : List.copyOf(members.values())) {
            if (m.state() == MemberState.SUSPECT && now - since.get(m.id()) >= suspicionTimeoutMillis) {
                Member d = m.with(MemberState.DEAD);
                put(d);
                dead.add(d);
            }
        }
        return dead;
    }

    /** Forgets members dead or gone for longer than the retention period; returns their ids. */
    public synchronized List<String> forgetDeparted() {
        long now = clock.getAsLong();
        List<String> forgotten = new ArrayList<>();
        for (Member m : List.copyOf(members.values())) {
            if (!m.state().reachable() && now - since.get(m.id()) >= deadRetentionMillis) {
                members.remove(m.id());
                since.remove(m.id());
                forgotten.add(m.id());
            }
        }
        return forgotten;
    }

    /** Marks this node as leaving: it stops refuting and returns its LEFT claim to broadcast. */
    public synchronized Member leave() {
        leaving = true;
        Member left = members.get(selfId).with(MemberState.LEFT);
        members.put(selfId, left);
        return left;
    }

    /** The next member to probe, or empty when there is nobody else reachable. */
    public synchronized Optional<Member> nextProbeTarget() {
        for (int attempts = 0; attempts < 2; attempts++) {
            while (probeIndex < probeOrder.size()) {
                Member m = members.get(probeOrder.get(probeIndex++));
                if (m != null && m.state().reachable() && !m.id().equals(selfId)) {
                    return Optional.of(m);
                }
            }
            probeOrder.clear();
            probeIndex = 0;
            for (Member m : members.values()) {
                if (m.state().reachable() && !m.id().equals(selfId)) {
                    probeOrder.add(m.id());
                }
            }
            Collections.shuffle(probeOrder, random);
        }
        return Optional.empty();
    }

    /** Up to {@code k} random reachable members other than self and {@code excluded}. */
    public synchronized List<Member> randomReachable(int k, String excluded) {
        List<Member> candidates = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.state() == MemberState.ALIVE && !m.id().equals(selfId) && !m.id().equals(excluded)) {
                candidates.add(m);
            }
        }
        Collections.shuffle(candidates, random);
        return List.copyOf(candidates.subList(0, Math.min(k, candidates.size())));
    }

    /** Members believed dead (not those that left): partition healing re-contacts them. */
    public synchronized List<Member> dead() {
        return members.values().stream().filter(m -> m.state() == MemberState.DEAD).toList();
    }

    public synchronized Optional<Member> get(String id) {
        return Optional.ofNullable(members.get(id));
    }

    public synchronized List<Member> all() {
        return List.copyOf(members.values());
    }

    /** Members counted when sizing broadcasts: everyone reachable, self included. */
    public synchronized int reachableCount() {
        return (int) members.values().stream().filter(m -> m.state().reachable()).count();
    }

    /**
     * True when this node sees fewer than a quorum of the last known membership: the members not
     * known to have left, the dead included until they are forgotten.
     */
    public synchronized boolean partitioned() {
        long known = members.values().stream().filter(m -> m.state().countsForQuorum()).count();
        return reachableCount() < known / 2 + 1;
    }

    private void put(Member m) {
        Member previous = members.put(m.id(), m);
        if (m.state() == MemberState.ALIVE) {
            since.remove(m.id());
        } else if (previous == null || previous.state() != m.state() || previous.incarnation() != m.incarnation()) {
            since.put(m.id(), clock.getAsLong());
        }
    }
}
