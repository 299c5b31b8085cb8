package dev.shepherd.plugin.mesh.gossip.transport;

import dev.shepherd.plugin.mesh.gossip.wire.Envelope;
import dev.shepherd.plugin.mesh.gossip.wire.Rpc;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** How a node exchanges gossip with its peers; a seam where tests inject loss and partitions. */
public interface GossipTransport extends AutoCloseable {

    /** Starts serving incoming calls; returns the port actually bound (useful with port 0). */
    int start(GossipHandler handler) throws IOException;

    /** Calls a peer; the future fails on timeout, refusal or an unreachable peer. */
    CompletableFuture<Envelope> call(String address, Rpc rpc, Envelope request, long timeoutMillis);

    /** The address peers dial to reach this node, given the advertised host and the bound port. */
    String addressFor(String advertiseHost, int boundPort);

    /** Bytes this node has put on the wire, requests and replies together. */
    long bytesSent();

    /** Stops serving and drops every connection. */
    @Override
    void close();

    /** Answers incoming calls. */
    interface GossipHandler {
        CompletableFuture<Envelope> handle(Rpc rpc, Envelope request);
    }
}
