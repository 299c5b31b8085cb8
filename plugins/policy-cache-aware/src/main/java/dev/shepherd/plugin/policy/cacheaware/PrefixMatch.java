package dev.shepherd.plugin.policy.cacheaware;

import java.util.Arrays;

/**
 * What {@link PrefixTree#match} found for one text: the nodes along the matched path, root side first,
 * each with the workers (slots) that hold it and how many characters of the text are matched once that
 * node is reached. The last node may be matched only partly (the text diverges inside its label); its
 * workers still hold the matched part. Owned by one request; not thread-safe.
 */
final class PrefixMatch {

    private final int textLength;
    private PrefixTree.Node[] nodes = new PrefixTree.Node[8];
    private long[][] slots = new long[8][];
    private int[] matchedChars = new int[8];
    private int depth;

    PrefixMatch(int textLength) {
        this.textLength = textLength;
    }

    void add(PrefixTree.Node node, long[] nodeSlots, int matchedSoFar) {
        if (depth == slots.length) {
            nodes = Arrays.copyOf(nodes, depth * 2);
            slots = Arrays.copyOf(slots, depth * 2);
            matchedChars = Arrays.copyOf(matchedChars, depth * 2);
        }
        nodes[depth] = node;
        slots[depth] = nodeSlots;
        matchedChars[depth] = matchedSoFar;
        depth++;
    }

    int textLength() {
        return textLength;
    }

    /** Nodes on the matched path. */
    int depth() {
        return depth;
    }

    /** Characters matched by the whole path: the longest prefix of the text some worker has seen. */
    int matchedChars() {
        return depth == 0 ? 0 : matchedChars[depth - 1];
    }

    /** Characters matched once the {@code level}-th node (0 = nearest the root) is reached. */
    int matchedCharsAt(int level) {
        return matchedChars[level];
    }

    /** The {@code level}-th node on the path (which may have been split or pruned since). */
    PrefixTree.Node nodeAt(int level) {
        return nodes[level];
    }

    /** The slots of the {@code level}-th node: see {@link PrefixTree#tenantOf(long)}. Read-only. */
    long[] slotsAt(int level) {
        return slots[level];
    }

    /** The share of the text matched at {@code level}. */
    double ratioAt(int level) {
        return textLength == 0 ? 0 : (double) matchedChars[level] / textLength;
    }
}
