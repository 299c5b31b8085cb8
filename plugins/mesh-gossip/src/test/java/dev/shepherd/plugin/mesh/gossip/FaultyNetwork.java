package dev.shepherd.plugin.mesh.gossip;

import dev.shepherd.plugin.mesh.gossip.transport.GossipTransport;
import dev.shepherd.plugin.mesh.gossip.wire.Envelope;
import dev.shepherd.plugin.mesh.gossip.wire.Rpc;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between in-process test nodes: drops a fraction of requests and of replies, and
 * splits nodes into partitions that cannot reach each other.
 */
final class FaultyNetwork {

    private volatile double lossRate;
    private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
    final AtomicLong dropped = new AtomicLong();

    void lossRate(double rate) {
        this.lossRate = rate;
    }

    /** Puts each group of addresses in its own partition. */
    void partition(java.util.List<java.util.List<String>> groups) {
        for (int g = 0; g < groups.size(); g++) {
            for (String address : groups.get(g)) {
                partitionOf.put(address, g);
            }
        }
    }

    void heal() {
        partitionOf.clear();
    }

    private boolean blocked(String from, String to) {
        Integer a = partitionOf.get(from);
        Integer b = partitionOf.get(to);
        return a != null && b != null && !a.equals(b);
    }

    private boolean lose() {
        double rate = lossRate;
        boolean lost = rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
        if (lost) {
            dropped.incrementAndGet();
        }
        return lost;
    }

    GossipTransport wrap(GossipTransport inner, String self) {
        return new GossipTransport() {
            @Override
            public int start(GossipHandler handler) throws IOException {
                return inner.start(handler);
            }

            @Override
            public String addressFor(String advertiseHost, int boundPort) {
                return inner.addressFor(advertiseHost, boundPort);
            }

            @Override
            public CompletableFuture<Envelope> call(String address, Rpc rpc, Envelope request, long timeoutMillis) {
                if (blocked(self, address) || lose()) {
                    return CompletableFuture.failedFuture(new IOException("dropped request to " + address));
                }
                return inner.call(address, rpc, request, timeoutMillis).thenCompose(reply -> lose() || blocked(self, address)
                        ? CompletableFuture.failedFuture(new IOException("dropped reply from " + address))
                        : CompletableFuture.completedFuture(reply));
            }

            @Override
            public long bytesSent() {
                return inner.bytesSent();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
