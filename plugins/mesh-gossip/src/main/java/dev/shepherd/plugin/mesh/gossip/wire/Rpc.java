package dev.shepherd.plugin.mesh.gossip.wire;

/** The gossip service's methods; each is a unary call carrying an {@link Envelope} both ways. */
public enum Rpc {
    /** A direct probe; the reply is the ack. Both directions piggyback gossip. */
    PING,
    /** Ask the receiver to probe {@link Envelope#target()} for us; the reply's {@code ok} says if it answered. */
    PING_REQ,
    /** Anti-entropy and join: exchange full membership, then pull one page of differing state. */
    SYNC;

    public String methodName() {
        return switch (this) {
            case PING -> "Ping";
            case PING_REQ -> "PingReq";
            case SYNC -> "Sync";
        };
    }
}
