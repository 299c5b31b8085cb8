package dev.shepherd.plugin.mesh.gossip;

import dev.shepherd.plugin.mesh.gossip.crdt.CrdtState;
import dev.shepherd.plugin.mesh.gossip.crdt.CrdtStateStore;
import dev.shepherd.plugin.mesh.gossip.crdt.HybridLogicalClock;
import dev.shepherd.plugin.mesh.gossip.crdt.StateEntry;
import dev.shepherd.plugin.mesh.gossip.swim.Disseminator;
import dev.shepherd.plugin.mesh.gossip.swim.Member;
import dev.shepherd.plugin.mesh.gossip.swim.MemberState;
import dev.shepherd.plugin.mesh.gossip.swim.Membership;
import dev.shepherd.plugin.mesh.gossip.transport.GossipTransport;
import dev.shepherd.plugin.mesh.gossip.wire.Envelope;
import dev.shepherd.plugin.mesh.gossip.wire.Rpc;
import dev.shepherd.spi.mesh.Mesh;
import dev.shepherd.spi.mesh.MeshStatus;
import dev.shepherd.spi.state.StateStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node in the gossip mesh. SWIM failure detection (a probe per interval, indirect probes
 * through k members, suspicion with incarnations and refutation, suspicion timeout, dead-member
 * removal), infection-style dissemination of membership claims and CRDT deltas piggybacked on
 * every probe and ack, and periodic anti-entropy: a digest-driven, paged pull of full state from a
 * random peer, which is also how a node joins through its seeds and how healed partitions reconnect.
 */
public final class GossipMesh implements Mesh {

    private static final Logger LOG = LoggerFactory.getLogger(GossipMesh.class);
    /** Upper bound on pages pulled in one anti-entropy exchange, so one round cannot run for ever. */
    private static final int MAX_SYNC_PAGES = 10_000;

    private final MeshGossipConfig config;
    private final GossipTransport transport;
    private final Random random;
    private final String nodeId;
    private final String address;
    private final Membership membership;
    private final Disseminator<Member> memberGossip;
    private final Disseminator<StateEntry> stateGossip;
    private final CrdtStateStore store;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong suspicionsRaised = new AtomicLong();
    private final AtomicLong deathsDeclared = new AtomicLong();
    private final Set<String> duplicateNameWarned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Binds the transport and starts gossiping: joins through the seeds at once and keeps retrying
     * while it knows nobody.
     *
     * @param clock wall-clock milliseconds: the HLC, suspicion and retention timers read it
     */
    public GossipMesh(MeshGossipConfig config, GossipTransport transport, LongSupplier clock, Random random)
            throws IOException {
        this.config = config;
        this.transport = transport;
        this.random = random;
        DeferredHandler handler = new DeferredHandler();
        int port = transport.start(handler);
        this.address = transport.addressFor(config.advertiseHost(), config.advertisedPort(port));
        this.nodeId = config.nodeNameOr(port);
        Member self = new Member(nodeId, address, MemberState.ALIVE, clock.getAsLong());
        this.membership = new Membership(self, clock, config.suspicionTimeoutMs(), config.deadRetentionMs(), random);
        this.memberGossip = new Disseminator<>(config.retransmitMultiplier(), membership::reachableCount, 1024);
        this.stateGossip = new Disseminator<>(config.retransmitMultiplier(), membership::reachableCount, 8192);
        this.store = new CrdtStateStore(nodeId, new CrdtState(clock, config.tombstoneTtlMs(), config.counterTtlMs()),
                new HybridLogicalClock(clock), entries -> entries.forEach(e -> stateGossip.offer(e.id(), e)));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesh-gossip-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        handler.delegate = this::handle;
        long probe = config.probeIntervalMs();
        scheduler.scheduleWithFixedDelay(guarded(this::probeRound), random.nextLong(probe), probe, TimeUnit.MILLISECONDS);
        long push = config.gossipIntervalMs();
        scheduler.scheduleWithFixedDelay(guarded(this::gossipRound), random.nextLong(push), push, TimeUnit.MILLISECONDS);
        long sync = config.antiEntropyIntervalMs();
        scheduler.scheduleWithFixedDelay(guarded(this::antiEntropyRound), random.nextLong(sync), sync, TimeUnit.MILLISECONDS);
        long gc = Math.max(1000, Math.min(60_000, Math.min(config.tombstoneTtlMs(), config.counterTtlMs()) / 4));
        scheduler.scheduleWithFixedDelay(guarded(() -> store.state().collectTombstones()), gc, gc, TimeUnit.MILLISECONDS);
        scheduler.execute(guarded(this::joinThroughSeeds));
    }

    public String nodeId() {
        return nodeId;
    }

    /** host:port (or in-process name) peers reach this node at. */
    public String address() {
        return address;
    }

    @Override
    public StateStore stateStore() {
        return store;
    }

    /** The CRDT store itself, for tests and the benchmark. */
    public CrdtStateStore crdtStore() {
        return store;
    }

    @Override
    public MeshStatus status() {
        List<Member> all = membership.all();
        return new MeshStatus(nodeId, ids(all, MemberState.ALIVE), ids(all, MemberState.SUSPECT), membership.partitioned());
    }

    private static List<String> ids(List<Member> members, MemberState state) {
        return members.stream().filter(m -> m.state() == state).map(Member::id).sorted().toList();
    }

    /** The members this node currently believes alive, itself included. */
    public Set<String> aliveMembers() {
        return membership.all().stream().filter(m -> m.state() == MemberState.ALIVE).map(Member::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The live member that owns {@code key} by consistent hashing, as this node sees the cluster. */
    public Optional<String> owner(String key) {
        return RendezvousRing.owner(aliveMembers(), key);
    }

    /** Whether this node owns {@code key}: for dividing work such as health checks among nodes. */
    public boolean owns(String key) {
        return owner(key).map(nodeId::equals).orElse(true);
    }

    public List<Member> members() {
        return membership.all();
    }

    public long bytesSent() {
        return transport.bytesSent();
    }

    /** Suspicions this node raised after failed probes (refuted ones included). */
    public long suspicionsRaised() {
        return suspicionsRaised.get();
    }

    /** Suspicions that timed out into a death on this node. */
    public long deathsDeclared() {
        return deathsDeclared.get();
    }

    /** Leaves gracefully: tells the reachable members, waits briefly for them, then stops. */
    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        Member left = membership.leave();
        Envelope farewell = Envelope.gossip(left, List.of(left), stateGossip.take(config.maxPiggyback()));
        List<CompletableFuture<Envelope>> told = new ArrayList<>();
        for (Member m : membership.randomReachable(Integer.MAX_VALUE, null)) {
            told.add(transport.call(m.address(), Rpc.PING, farewell, config.leaveTimeoutMs()));
        }
        try {
            CompletableFuture.allOf(told.toArray(CompletableFuture[]::new)).get(config.leaveTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("not every peer acknowledged {} leaving", nodeId, e);
        }
        shutdown();
    }

    /** Stops at once without telling anyone, as a crash would: for failure-detection tests. */
    public void crash() {
        running.set(false);
        shutdown();
    }

    private void shutdown() {
        scheduler.shutdownNow();
        transport.close();
    }

    // ---- incoming ----

    private CompletableFuture<Envelope> handle(Rpc rpc, Envelope request) {
        if (!running.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("node stopped"));
        }
        return switch (rpc) {
            case PING -> {
                absorb(request, true);
                yield CompletableFuture.completedFuture(replyTo(request.sender()));
            }
            case PING_REQ -> {
                absorb(request, true);
                Member target = request.target();
                yield transport.call(target.address(), Rpc.PING, outgoing(), config.probeTimeoutMs())
                        .handle((ack, failure) -> {
                            if (ack != null) {
                                absorb(ack, true);
                            }
                            return replyTo(request.sender()).withOk(failure == null);
                        });
            }
            case SYNC -> {
                absorb(request, false);
                var page = store.state().page(request.cursor(), request.digests(), config.syncPageEntries());
                List<Member> members = request.cursor().isEmpty() ? membership.all() : List.of();
                yield CompletableFuture.completedFuture(
                        new Envelope(membership.self(), members, page.entries(), null, null, page.nextAfterId(), true));
            }
        };
    }

    /**
     * Applies what a message carries. Piggybacked entries are gossiped on (that is the epidemic);
     * anti-entropy pages are not, as every node pulls them for itself.
     */
    private void absorb(Envelope envelope, boolean regossipState) {
        if (envelope.sender() != null) {
            applyClaim(envelope.sender());
        }
        envelope.members().forEach(this::applyClaim);
        List<StateEntry> changed = store.applyRemote(envelope.entries());
        if (regossipState) {
            changed.forEach(e -> stateGossip.offer(e.id(), e));
        }
    }

    private void applyClaim(Member claim) {
        if (claim.id().equals(nodeId) && !claim.address().equals(address) && claim.state() == MemberState.ALIVE
                && claim.incarnation() > membership.self().incarnation() && duplicateNameWarned.add(claim.address())) {
            // Two nodes under one name would refute each other for ever; say so loudly, once per address.
            LOG.error("{}: another node at {} uses this node's name; give every node a unique --mesh-server-name",
                    nodeId, claim.address());
        }
        membership.apply(claim).ifPresent(changed -> {
            memberGossip.offer(changed.id(), changed);
            if (!changed.id().equals(nodeId) && changed.state() != MemberState.ALIVE) {
                LOG.debug("{}: {} is {}", nodeId, changed.id(), changed.state());
            }
        });
    }

    /**
     * An ack, carrying gossip, plus our own view of the requester when that view says it is suspect
     * or dead: hearing it is how a wrongly suspected node learns to refute.
     */
    private Envelope replyTo(Member requester) {
        Envelope base = outgoing();
        if (requester == null) {
            return base;
        }
        Optional<Member> view = membership.get(requester.id());
        if (view.isPresent() && view.get().state() != MemberState.ALIVE
                && view.get().incarnation() >= requester.incarnation() && !base.members().contains(view.get())) {
            List<Member> members = new ArrayList<>(base.members());
            members.add(view.get());
            return Envelope.gossip(base.sender(), members, base.entries());
        }
        return base;
    }

    private Envelope outgoing() {
        return Envelope.gossip(membership.self(), memberGossip.take(config.maxPiggyback()),
                stateGossip.take(config.maxPiggyback()));
    }

    // ---- failure detection ----

    private void probeRound() {
        membership.expireSuspicions().forEach(dead -> {
            deathsDeclared.incrementAndGet();
            LOG.info("{}: declared {} dead", nodeId, dead.id());
            memberGossip.offer(dead.id(), dead);
        });
        membership.forgetDeparted();
        Optional<Member> target = membership.nextProbeTarget();
        if (target.isEmpty()) {
            joinThroughSeeds(); // alone: keep trying to (re)join
            return;
        }
        probe(target.get());
    }

    private void probe(Member target) {
        transport.call(target.address(), Rpc.PING, outgoing(), config.probeTimeoutMs()).whenComplete((ack, failure) -> {
            if (failure == null) {
                absorb(ack, true);
            } else if (running.get()) {
                probeIndirectly(target);
            }
        });
    }

    private void probeIndirectly(Member target) {
        List<Member> helpers = membership.randomReachable(config.indirectProbes(), target.id());
        if (helpers.isEmpty()) {
            suspect(target);
            return;
        }
        Envelope base = outgoing();
        Envelope request = new Envelope(base.sender(), base.members(), base.entries(), target, null, "", true);
        // The helper waits probe_timeout for the target; give it that plus the round trip to us.
        long wait = 2 * config.probeTimeoutMs();
        List<CompletableFuture<Boolean>> answers = helpers.stream()
                .map(h -> transport.call(h.address(), Rpc.PING_REQ, request, wait).handle((reply, failure) -> {
                    if (reply != null) {
                        absorb(reply, true);
                    }
                    return reply != null && reply.ok();
                }))
                .toList();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenRun(() -> {
            if (answers.stream().noneMatch(CompletableFuture::join) && running.get()) {
                suspect(target);
            }
        });
    }

    private void suspect(Member target) {
        membership.suspect(target).ifPresent(s -> {
            suspicionsRaised.incrementAndGet();
            LOG.debug("{}: suspects {}", nodeId, s.id());
            memberGossip.offer(s.id(), s);
        });
    }

    /**
     * Pushes pending updates to a few random members now rather than waiting for probes to carry
     * them: a write then spreads in about log_fanout(n) gossip intervals. Idle when nothing is pending.
     */
    private void gossipRound() {
        if (stateGossip.pending() == 0 && memberGossip.pending() == 0) {
            return;
        }
        for (Member peer : membership.randomReachable(config.gossipFanout(), null)) {
            transport.call(peer.address(), Rpc.PING, outgoing(), config.probeTimeoutMs()).thenAccept(ack -> absorb(ack, true));
        }
    }

    // ---- anti-entropy, join and healing ----

    private void antiEntropyRound() {
        membership.randomReachable(1, null).forEach(peer -> sync(peer.address()));
        // Healing: also re-contact one member we believe dead, or a seed we are not connected to.
        // If it answers, the exchange of full membership lists makes both sides refute and reconnect.
        List<String> unreachable = new ArrayList<>();
        membership.dead().forEach(m -> unreachable.add(m.address()));
        Set<String> reachable = membership.all().stream().filter(m -> m.state().reachable()).map(Member::address)
                .collect(Collectors.toSet());
        config.seeds().stream().filter(s -> !reachable.contains(s) && !s.equals(address)).forEach(unreachable::add);
        if (!unreachable.isEmpty()) {
            sync(unreachable.get(random.nextInt(unreachable.size())));
        }
    }

    private void joinThroughSeeds() {
        for (String seed : config.seeds()) {
            if (!seed.equals(address)) {
                sync(seed);
            }
        }
    }

    private void sync(String peerAddress) {
        syncPage(peerAddress, "", 0);
    }

    private void syncPage(String peerAddress, String cursor, int pages) {
        List<Member> members = cursor.isEmpty() ? membership.all() : List.of();
        Envelope request = new Envelope(membership.self(), members, List.of(), null, store.state().digests(), cursor, true);
        transport.call(peerAddress, Rpc.SYNC, request, Math.max(config.probeIntervalMs(), 2000))
                .whenComplete((reply, failure) -> {
                    if (failure != null || !running.get()) {
                        return;
                    }
                    absorb(reply, false);
                    if (!reply.cursor().isEmpty() && pages < MAX_SYNC_PAGES) {
                        syncPage(peerAddress, reply.cursor(), pages + 1);
                    }
                });
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            if (!running.get()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: gossip task failed", nodeId, e);
            }
        };
    }

    /** Lets the transport start before this node is fully built; calls in that instant are refused. */
    private static final class DeferredHandler implements GossipTransport.GossipHandler {
        private volatile GossipTransport.GossipHandler delegate;

        @Override
        public CompletableFuture<Envelope> handle(Rpc rpc, Envelope request) {
            GossipTransport.GossipHandler d = delegate;
            return d == null ? CompletableFuture.failedFuture(new IllegalStateException("starting"))
                    : d.handle(rpc, request);
        }
    }
}
