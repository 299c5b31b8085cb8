package dev.shepherd.plugin.policy.cacheaware;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An approximate radix tree of the prompt texts routed to each worker, SMG's "approximate string
 * tree": it records which worker (tenant) was sent which prefix, not what the worker's KV cache really
 * holds, and each node remembers, per tenant, when a request last passed through it (an epoch from a
 * per-tree counter, not the wall clock), for LRU eviction.
 *
 * <h2>Concurrency</h2>
 * Matching is lock-free: it only reads immutable labels and volatile, copy-on-write child and slot
 * arrays. Inserting locks one node at a time, and only where the structure changes: adding a child,
 * adding a tenant to a node, or splitting a node whose label the text diverges from (the parent, then
 * the node: locks are always taken parent first, so they cannot deadlock). Refreshing a tenant's
 * access epoch on a node it already holds is a plain opaque store into the slot array, no lock. A node
 * is never relabelled: a split replaces it with two new nodes and marks the old one dead, and a writer
 * that finds a node dead under its lock starts its descent again from the root. So two requests only
 * contend when they change the same node at the same moment, and matching never waits.
 *
 * <p>What is approximate under concurrency, by design: an epoch refresh that lands on a node being
 * split at that instant is lost (the node's copy keeps the previous epoch), and eviction may skip a
 * node that was split while it ran. Neither breaks the structure or the per-tenant character counts,
 * which only change under a node's lock.
 *
 * <h2>Memory</h2>
 * Labels are substrings (copies) of the inserted texts, one byte per character for Latin-1 text, two
 * otherwise. A node's tenants are one {@code long} each: {@value #TENANT_BITS} bits of tenant index and
 * {@value #EPOCH_BITS} bits of epoch. Each tenant's characters are counted in its {@link Tenant}, and
 * {@link #evict} trims every tenant back under a bound.
 */
final class PrefixTree {

    static final int TENANT_BITS = 20;
    static final int EPOCH_BITS = 64 - TENANT_BITS;
    static final long EPOCH_MASK = (1L << EPOCH_BITS) - 1;

    private static final long[] NO_SLOTS = new long[0];
    private static final Node[] NO_CHILDREN = new Node[0];
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final Node root = new Node("", NO_SLOTS, NO_CHILDREN);
    private final AtomicLong epochs = new AtomicLong();
    private final AtomicLong nodes = new AtomicLong();

    /** The tenant index stored in a slot. */
    static int tenantOf(long slot) {
        return (int) (slot >>> EPOCH_BITS);
    }

    /** The access epoch stored in a slot. */
    static long epochOf(long slot) {
        return slot & EPOCH_MASK;
    }

    /** Finds the longest prefix of {@code text} that some tenant holds. Lock-free. */
    PrefixMatch match(String text) {
        PrefixMatch match = new PrefixMatch(text.length());
        int length = text.length();
        Node node = root;
        int i = 0;
        while (i < length) {
            Node child = childStartingWith(node.children, text.charAt(i));
            if (child == null) {
                break;
            }
            String label = child.label;
            int common = commonPrefix(label, text, i);
            i += common;
            match.add(child, child.slots, i);
            if (common < label.length()) {
                break;
            }
            node = child;
        }
        return match;
    }

    /**
     * Records that {@code tenant} was sent {@code text}: every node along the text's path gets the
     * tenant with a fresh epoch, nodes are split where the text diverges inside a label, and the part
     * no node holds yet becomes a new leaf.
     */
    void insert(String text, Tenant tenant) {
        if (text.isEmpty() || tenant.isRemoved()) {
            return;
        }
        insertFrom(root, 0, text, tenant, nextSlot(tenant));
    }

    /**
     * {@link #insert} reusing the path {@code match} (of the same text) already found: the fully matched
     * nodes get the tenant without comparing their labels again, and the descent goes on from where the
     * match ended. If one of those nodes was split or pruned since, the insert starts over from the root.
     */
    void insert(String text, Tenant tenant, PrefixMatch match) {
        if (text.isEmpty() || tenant.isRemoved()) {
            return;
        }
        long slot = nextSlot(tenant);
        Node node = root;
        int i = 0;
        for (int level = 0; level < match.depth(); level++) {
            Node next = match.nodeAt(level);
            int end = match.matchedCharsAt(level);
            if (end - i < next.label.length()) {
                break; // matched partly: the descent below compares and splits it
            }
            if (!record(next, tenant, slot)) {
                insertFrom(root, 0, text, tenant, slot);
                return;
            }
            node = next;
            i = end;
        }
        insertFrom(node, i, text, tenant, slot);
    }

    private long nextSlot(Tenant tenant) {
        return ((long) tenant.index() << EPOCH_BITS) | (epochs.incrementAndGet() & EPOCH_MASK);
    }

    /** The descent of an insert from {@code start}, which holds {@code text[0, from)}; restarts from the root on a race. */
    private void insertFrom(Node start, int from, String text, Tenant tenant, long slot) {
        int length = text.length();
        Node node = start;
        int i = from;
        for (;;) {
            boolean restart = false;
            while (i < length) {
                char first = text.charAt(i);
                Node child = childStartingWith(node.children, first);
                if (child == null) {
                    synchronized (node) {
                        if (node.dead) {
                            restart = true;
                            break;
                        }
                        child = childStartingWith(node.children, first);
                        if (child == null) {
                            node.children = withChild(node.children, new Node(text.substring(i), new long[] {slot}, NO_CHILDREN));
                            nodes.incrementAndGet();
                            tenant.addChars(length - i);
                            return;
                        }
                    }
                }
                int common = commonPrefix(child.label, text, i);
                if (common < child.label.length()) {
                    child = split(node, child, common);
                    if (child == null) {
                        restart = true;
                        break;
                    }
                }
                if (!record(child, tenant, slot)) {
                    restart = true;
                    break;
                }
                node = child;
                i += common;
            }
            if (!restart) {
                return;
            }
            node = root;
            i = 0;
        }
    }

    /**
     * Removes the least recently used prefixes of every tenant holding more than {@code maxChars}
     * characters until it holds at most that, and every slot of removed tenants; then drops nodes no
     * tenant holds. Within a tenant, the oldest epoch goes first and, among equal epochs, the deepest
     * node (a leaf before its ancestors, as SMG's leaf-first LRU). Runs off the request path.
     *
     * @return characters removed
     */
    long evict(long maxChars, Collection<Tenant> tenants) {
        Map<Integer, Tenant> over = new HashMap<>();
        for (Tenant tenant : tenants) {
            if (tenant.isRemoved() || tenant.chars() > maxChars) {
                over.put(tenant.index(), tenant);
            }
        }
        if (over.isEmpty()) {
            return 0;
        }
        Map<Integer, List<Held>> held = new HashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        stack.push(root);
        depths.push(0);
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            int depth = depths.pop();
            for (long slot : node.slots) {
                int index = tenantOf(slot);
                if (over.containsKey(index)) {
                    held.computeIfAbsent(index, k -> new ArrayList<>()).add(new Held(epochOf(slot), depth, node));
                }
            }
            for (Node child : node.children) {
                stack.push(child);
                depths.push(depth + 1);
            }
        }
        long removed = 0;
        for (Map.Entry<Integer, List<Held>> entry : held.entrySet()) {
            Tenant tenant = over.get(entry.getKey());
            long bound = tenant.isRemoved() ? 0 : maxChars;
            List<Held> nodesHeld = entry.getValue();
            nodesHeld.sort(Held.LEAST_RECENT_DEEPEST_FIRST);
            for (Held h : nodesHeld) {
                if (tenant.chars() <= bound) {
                    break;
                }
                removed += removeTenant(h.node, tenant);
            }
        }
        prune();
        return removed;
    }

    /** Removes every slot of {@code tenant}, then drops nodes no tenant holds. */
    void removeAll(Tenant tenant) {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            if (indexOfTenant(node.slots, tenant.index()) >= 0) {
                removeTenant(node, tenant);
            }
            for (Node child : node.children) {
                stack.push(child);
            }
        }
        prune();
    }

    /** Nodes in the tree, the root excluded. */
    long nodeCount() {
        return nodes.get();
    }

    Node root() {
        return root;
    }

    /** Walks the tree and sums the label lengths per tenant index: what the tenants' counters should say. */
    Map<Integer, Long> countCharsByTenant() {
        Map<Integer, Long> chars = new HashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            for (long slot : node.slots) {
                chars.merge(tenantOf(slot), (long) node.label.length(), Long::sum);
            }
            for (Node child : node.children) {
                stack.push(child);
            }
        }
        return chars;
    }

    /** Drops every node that holds no tenant and has no children, bottom up. */
    private void prune() {
        pruneBelow(root);
    }

    private void pruneBelow(Node top) {
        // Iterative post-order: a node is examined after its children, so emptied chains collapse in one pass.
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Node> order = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            order.push(node);
            for (Node child : node.children) {
                stack.push(child);
            }
        }
        // `order` pops children before parents; each parent then checks its (possibly emptied) children.
        while (!order.isEmpty()) {
            Node parent = order.pop();
            for (Node child : parent.children) {
                if (child.slots.length == 0 && child.children.length == 0) {
                    detach(parent, child);
                }
            }
        }
    }

    private void detach(Node parent, Node child) {
        synchronized (parent) {
            synchronized (child) {
                if (parent.dead || child.dead || child.slots.length != 0 || child.children.length != 0) {
                    return;
                }
                Node[] children = parent.children;
                int at = indexOfChild(children, child);
                if (at < 0) {
                    return;
                }
                Node[] fewer = new Node[children.length - 1];
                System.arraycopy(children, 0, fewer, 0, at);
                System.arraycopy(children, at + 1, fewer, at, children.length - at - 1);
                parent.children = fewer.length == 0 ? NO_CHILDREN : fewer;
                child.dead = true;
                nodes.decrementAndGet();
            }
        }
    }

    /** Replaces {@code child} of {@code parent} by a node holding its first {@code at} characters; null to retry. */
    private Node split(Node parent, Node child, int at) {
        synchronized (parent) {
            synchronized (child) {
                if (parent.dead || child.dead) {
                    return null;
                }
                Node[] siblings = parent.children;
                int position = indexOfChild(siblings, child);
                if (position < 0) {
                    return null;
                }
                long[] slots = child.slots;
                Node rest = new Node(child.label.substring(at), slots.clone(), child.children);
                Node head = new Node(child.label.substring(0, at), slots.clone(), new Node[] {rest});
                child.dead = true;
                Node[] replaced = siblings.clone();
                replaced[position] = head;
                parent.children = replaced;
                nodes.incrementAndGet();
                return head;
            }
        }
    }

    /** Gives {@code node} the tenant with {@code slot}'s epoch; false when the node died meanwhile (retry). */
    private static boolean record(Node node, Tenant tenant, long slot) {
        if (node.dead) {
            return false;
        }
        long[] slots = node.slots;
        int at = indexOfTenant(slots, tenant.index());
        if (at >= 0) {
            SLOT.setOpaque(slots, at, slot);
            return true;
        }
        synchronized (node) {
            if (node.dead) {
                return false;
            }
            slots = node.slots;
            at = indexOfTenant(slots, tenant.index());
            if (at >= 0) {
                SLOT.setOpaque(slots, at, slot);
                return true;
            }
            long[] more = Arrays.copyOf(slots, slots.length + 1);
            more[slots.length] = slot;
            node.slots = more;
            tenant.addChars(node.label.length());
            return true;
        }
    }

    /** Takes {@code tenant} off {@code node}; returns the characters it no longer holds (0 if it held none). */
    private static long removeTenant(Node node, Tenant tenant) {
        synchronized (node) {
            if (node.dead) {
                return 0;
            }
            long[] slots = node.slots;
            int at = indexOfTenant(slots, tenant.index());
            if (at < 0) {
                return 0;
            }
            long[] fewer = new long[slots.length - 1];
            System.arraycopy(slots, 0, fewer, 0, at);
            System.arraycopy(slots, at + 1, fewer, at, slots.length - at - 1);
            node.slots = fewer.length == 0 ? NO_SLOTS : fewer;
            int chars = node.label.length();
            tenant.addChars(-chars);
            return chars;
        }
    }

    static int indexOfTenant(long[] slots, int tenantIndex) {
        for (int i = 0; i < slots.length; i++) {
            if (tenantOf((long) SLOT.getOpaque(slots, i)) == tenantIndex) {
                return i;
            }
        }
        return -1;
    }

    /** Children are sorted by their label's first character, which is unique among siblings. */
    private static Node childStartingWith(Node[] children, char first) {
        int lo = 0;
        int hi = children.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            char c = children[mid].label.charAt(0);
            if (c < first) {
                lo = mid + 1;
            } else if (c > first) {
                hi = mid - 1;
            } else {
                return children[mid];
            }
        }
        return null;
    }

    private static int indexOfChild(Node[] children, Node child) {
        for (int i = 0; i < children.length; i++) {
            if (children[i] == child) {
                return i;
            }
        }
        return -1;
    }

    private static Node[] withChild(Node[] children, Node child) {
        char first = child.label.charAt(0);
        int at = 0;
        while (at < children.length && children[at].label.charAt(0) < first) {
            at++;
        }
        Node[] more = new Node[children.length + 1];
        System.arraycopy(children, 0, more, 0, at);
        more[at] = child;
        System.arraycopy(children, at, more, at + 1, children.length - at);
        return more;
    }

    /**
     * The length of the common prefix of {@code label} and {@code text} from {@code from}, knowing their
     * first characters are equal. {@link String#regionMatches} compares whole runs at once (vectorised
     * in the JDK), so a full match, the common case, is one call, and a mismatch is found by halving the
     * remaining range: about twice the label's length compared in all, never character by character.
     */
    static int commonPrefix(String label, String text, int from) {
        int max = Math.min(label.length(), text.length() - from);
        if (text.regionMatches(from, label, 0, max)) {
            return max;
        }
        int lo = 1; // characters known to match
        int hi = max - 1; // at most this many can match: all `max` do not
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (text.regionMatches(from + lo, label, lo, mid - lo)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A node: an immutable label, copy-on-write children and tenant slots. */
    static final class Node {

        final String label;
        /** Sorted by first character; replaced (never changed in place) under this node's lock. */
        volatile Node[] children;
        /** Tenant index and access epoch per slot; replaced under this node's lock, epochs refreshed in place. */
        volatile long[] slots;
        /** Set under this node's lock when a split or prune took it out of the tree; read without it too. */
        volatile boolean dead;

        Node(String label, long[] slots, Node[] children) {
            this.label = label;
            this.slots = slots;
            this.children = children;
        }

        String label() {
            return label;
        }

        List<Node> childList() {
            return List.of(children);
        }

        /** The tenant indices holding this node. */
        int[] tenantIndices() {
            long[] s = slots;
            int[] indices = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                indices[i] = tenantOf(s[i]);
            }
            return indices;
        }

        /** The access epoch of {@code tenantIndex} here, or -1 when it does not hold this node. */
        long epochOf(int tenantIndex) {
            long[] s = slots;
            int at = indexOfTenant(s, tenantIndex);
            return at < 0 ? -1 : PrefixTree.epochOf((long) SLOT.getOpaque(s, at));
        }

        @Override
        public String toString() {
            return "Node[" + (label.length() > 20 ? label.substring(0, 20) + "…" : label) + "]";
        }
    }

    /** One node a tenant holds, for eviction ordering. */
    private record Held(long epoch, int depth, Node node) {
        static final Comparator<Held> LEAST_RECENT_DEEPEST_FIRST =
                Comparator.comparingLong(Held::epoch).thenComparing(Comparator.comparingInt(Held::depth).reversed());
    }
}
