package dev.shepherd.plugin.mesh.gossip.swim;

import java.util.Objects;

/**
 * A claim about one member, as SWIM gossips it.
 *
 * @param id the node's name, unique in the cluster
 * @param address host:port peers reach its gossip listener at
 * @param incarnation only the member itself raises it, to refute a suspicion or to rejoin; a
 *     restarted node starts from its start time so it outranks what the cluster remembers of it
 */
public record Member(String id, String address, MemberState state, long incarnation) {

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
    }

    /**
     * SWIM's override rule as one order: a higher incarnation wins; at equal incarnations
     * LEFT beats DEAD beats SUSPECT beats ALIVE. Being a total order per member, gossiped claims
     * converge whatever order they arrive in.
     */
    public boolean supersedes(Member current) {
        if (current == null) {
            return true;
        }
        if (incarnation != current.incarnation) {
            return incarnation > current.incarnation;
        }
        return state.ordinal() > current.state.ordinal();
    }

    public Member with(MemberState newState) {
        return new Member(id, address, newState, incarnation);
    }
}
