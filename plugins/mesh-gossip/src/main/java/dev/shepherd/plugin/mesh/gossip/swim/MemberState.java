package dev.shepherd.plugin.mesh.gossip.swim;

/** A member's state as gossiped. Declared in precedence order: at equal incarnations a later one wins. */
public enum MemberState {
    ALIVE, SUSPECT, DEAD, LEFT;

    /** Still counted in the membership a quorum is measured against. */
    public boolean countsForQuorum() {
        return this != LEFT;
    }

    /** Believed reachable: probed, and counted as seen. */
    public boolean reachable() {
        return this == ALIVE || this == SUSPECT;
    }
}
