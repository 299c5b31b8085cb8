package dev.shepherd.plugin.mesh.gossip.wire;

import dev.shepherd.plugin.mesh.gossip.crdt.StateEntry;
import dev.shepherd.plugin.mesh.gossip.swim.Member;
import java.util.List;

/**
 * Every gossip message, request or reply: the sender's claim about itself, piggybacked membership
 * claims and state entries, and the fields only some calls use.
 *
 * @param target PING_REQ: whom to probe
 * @param digests SYNC request: the requester's bucket digests, so the reply holds only what differs
 * @param cursor SYNC: the id to continue after ("" for the first page); in a reply "" means done
 * @param ok PING_REQ reply: whether the target answered
 */
public record Envelope(Member sender, List<Member> members, List<StateEntry> entries, Member target,
                       long[] digests, String cursor, boolean ok) {

    public Envelope {
        members = List.copyOf(members);
        entries = List.copyOf(entries);
        cursor = cursor == null ? "" : cursor;
    }

    public static Envelope gossip(Member sender, List<Member> members, List<StateEntry> entries) {
        return new Envelope(sender, members, entries, null, null, "", true);
    }

    public Envelope withOk(boolean value) {
        return new Envelope(sender, members, entries, target, digests, cursor, value);
    }
}
