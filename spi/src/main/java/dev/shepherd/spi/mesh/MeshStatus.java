package dev.shepherd.spi.mesh;

import java.util.List;

/**
 * This node's view of the cluster.
 *
 * @param nodeId this node's id
 * @param aliveMembers ids of members believed alive, this node included
 * @param suspectMembers ids of members suspected of having failed
 * @param partitioned true when this node sees less than a quorum of the last known membership
 */
public record MeshStatus(String nodeId, List<String> aliveMembers, List<String> suspectMembers, boolean partitioned) {
}
