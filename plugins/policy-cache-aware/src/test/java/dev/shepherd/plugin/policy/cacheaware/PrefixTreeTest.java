package dev.shepherd.plugin.policy.cacheaware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixTreeTest {

    private final PrefixTree tree = new PrefixTree();
    private final TenantTable tenants = new TenantTable();
    private final Tenant a = tenants.tenantOf("a");
    private final Tenant b = tenants.tenantOf("b");

    @Test
    void firstInsertIsOneLeafHoldingTheWholeText() {
        tree.insert("hello world", a);

        assertThat(labels(tree.root())).containsExactly("hello world");
        assertThat(child(tree.root(), 'h').tenantIndices()).containsExactly(a.index());
        assertThat(a.chars()).isEqualTo(11);
        assertThat(tree.nodeCount()).isEqualTo(1);
    }

    @Test
    void divergingTextsSplitTheSharedPrefixIntoItsOwnNode() {
        tree.insert("hello world", a);
        tree.insert("hello there", b);

        PrefixTree.Node shared = child(tree.root(), 'h');
        assertThat(shared.label()).isEqualTo("hello ");
        assertThat(shared.tenantIndices()).containsExactlyInAnyOrder(a.index(), b.index());
        assertThat(labels(shared)).containsExactly("there", "world"); // sorted by first character
        assertThat(child(shared, 'w').tenantIndices()).containsExactly(a.index());
        assertThat(child(shared, 't').tenantIndices()).containsExactly(b.index());
        assertThat(a.chars()).isEqualTo(11);
        assertThat(b.chars()).isEqualTo(11);
        assertThat(tree.nodeCount()).isEqualTo(3);
    }

    @Test
    void aTextEndingInsideALabelSplitsItThere() {
        tree.insert("abcdef", a);
        tree.insert("abc", b);

        PrefixTree.Node head = child(tree.root(), 'a');
        assertThat(head.label()).isEqualTo("abc");
        assertThat(head.tenantIndices()).containsExactlyInAnyOrder(a.index(), b.index());
        assertThat(labels(head)).containsExactly("def");
        assertThat(child(head, 'd').tenantIndices()).containsExactly(a.index());
        assertThat(a.chars()).isEqualTo(6);
        assertThat(b.chars()).isEqualTo(3);
    }

    @Test
    void extendingATextAddsOnlyTheNewSuffix() {
        tree.insert("system prompt\nuser\nhi\n", a);
        tree.insert("system prompt\nuser\nhi\nassistant\nhello\nuser\nmore\n", a);

        PrefixTree.Node first = child(tree.root(), 's');
        assertThat(first.label()).isEqualTo("system prompt\nuser\nhi\n");
        assertThat(labels(first)).containsExactly("assistant\nhello\nuser\nmore\n");
        assertThat(a.chars()).isEqualTo("system prompt\nuser\nhi\nassistant\nhello\nuser\nmore\n".length());
    }

    @Test
    void matchReportsTheLongestPrefixAnyTenantHolds() {
        tree.insert("hello world", a);
        tree.insert("hello there", b);

        assertThat(tree.match("hello world").matchedChars()).isEqualTo(11);
        assertThat(tree.match("hello world, and more").matchedChars()).isEqualTo(11);
        assertThat(tree.match("hello wor").matchedChars()).isEqualTo(9); // inside a label counts
        assertThat(tree.match("hello wxyz").matchedChars()).isEqualTo(7);
        assertThat(tree.match("help").matchedChars()).isEqualTo(3);
        assertThat(tree.match("goodbye").matchedChars()).isZero();
        assertThat(tree.match("").matchedChars()).isZero();
    }

    @Test
    void matchListsTheHoldersOfEachNodeOnThePath() {
        tree.insert("hello world", a);
        tree.insert("hello there", b);

        PrefixMatch match = tree.match("hello world!");
        assertThat(match.depth()).isEqualTo(2);
        assertThat(match.matchedCharsAt(0)).isEqualTo(6);
        assertThat(tenantsOf(match.slotsAt(0))).containsExactlyInAnyOrder(a.index(), b.index());
        assertThat(match.matchedCharsAt(1)).isEqualTo(11);
        assertThat(tenantsOf(match.slotsAt(1))).containsExactly(a.index());
        assertThat(match.ratioAt(1)).isEqualTo(11.0 / 12);
    }

    @Test
    void reinsertingTheSameTextRefreshesEpochsWithoutGrowing() {
        tree.insert("hello world", a);
        tree.insert("hello there", a);
        PrefixTree.Node shared = child(tree.root(), 'h');
        long before = shared.epochOf(a.index());
        long chars = a.chars();

        tree.insert("hello world", a);

        assertThat(a.chars()).isEqualTo(chars);
        assertThat(tree.nodeCount()).isEqualTo(3);
        assertThat(shared.epochOf(a.index())).isGreaterThan(before);
        assertThat(child(shared, 'w').epochOf(a.index())).isEqualTo(shared.epochOf(a.index()));
        assertThat(child(shared, 't').epochOf(a.index())).isLessThan(shared.epochOf(a.index()));
    }

    @Test
    void insertingAlongAMatchedPathRecordsTheSameAsAFullInsert() {
        tree.insert("shared prefix, then a's part", a);
        String text = "shared prefix, then b's part and more";
        PrefixMatch match = tree.match(text);

        tree.insert(text, b, match);

        PrefixTree.Node shared = child(tree.root(), 's');
        assertThat(shared.label()).isEqualTo("shared prefix, then ");
        assertThat(shared.tenantIndices()).containsExactlyInAnyOrder(a.index(), b.index());
        assertThat(labels(shared)).containsExactly("a's part", "b's part and more");
        assertThat(b.chars()).isEqualTo(text.length());
        assertThat(tree.countCharsByTenant()).containsEntry(b.index(), (long) text.length());
    }

    @Test
    void insertingAlongAStalePathStartsOverFromTheRoot() {
        tree.insert("abcdefgh", a);
        PrefixMatch match = tree.match("abcdefgh and more"); // path: the whole "abcdefgh" node
        tree.insert("abcdXYZ", a); // splits that node: the matched one is dead now

        tree.insert("abcdefgh and more", b, match);

        assertStructurallySound(tree.root());
        assertThat(tree.match("abcdefgh and more").matchedChars()).isEqualTo(17);
        PrefixTree.Node head = child(tree.root(), 'a');
        assertThat(head.label()).isEqualTo("abcd");
        assertThat(head.tenantIndices()).containsExactlyInAnyOrder(a.index(), b.index());
        assertThat(b.chars()).isEqualTo(17);
        assertThat(tree.countCharsByTenant()).containsEntry(a.index(), a.chars()).containsEntry(b.index(), 17L);
    }

    @Test
    void commonPrefixFindsTheFirstDifferenceAnywhere() {
        String label = "0123456789".repeat(100);
        for (int at = 1; at < label.length(); at += 37) {
            String text = "xx" + label.substring(0, at) + "#" + label.substring(at + 1);
            assertThat(PrefixTree.commonPrefix(label, text, 2)).isEqualTo(at);
        }
        assertThat(PrefixTree.commonPrefix(label, "xx" + label, 2)).isEqualTo(label.length());
        assertThat(PrefixTree.commonPrefix(label, "xx" + label.substring(0, 10), 2)).isEqualTo(10);
    }

    @Test
    void evictionRemovesTheLeastRecentlyUsedLeavesUntilEachTenantIsUnderTheBound() {
        String shared = "S".repeat(100);
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            conversations.add(shared + (char) ('A' + i) + " conversation " + "x".repeat(50)); // diverge right after `shared`
            tree.insert(conversations.get(i), a);
        }
        tree.insert(shared + "b only", b);
        long perConversation = conversations.get(0).length() - 100;
        assertThat(a.chars()).isEqualTo(100 + 10 * perConversation);

        long bound = 100 + 3 * perConversation;
        tree.evict(bound, tenants.all());

        assertThat(a.chars()).isEqualTo(bound);
        // The three most recent conversations survive whole, older ones are gone, the shared prefix stays.
        for (int i = 0; i < 10; i++) {
            assertThat(tree.match(conversations.get(i)).matchedChars()).isEqualTo(i >= 7 ? conversations.get(i).length() : 100);
        }
        assertThat(b.chars()).isEqualTo(106); // under the bound: untouched
        assertThat(tree.countCharsByTenant()).containsEntry(a.index(), a.chars()).containsEntry(b.index(), b.chars());
    }

    @Test
    void evictionDropsNodesNoTenantHoldsAnyMore() {
        tree.insert("old text one", a);
        tree.insert("new text two", a);

        tree.evict(12, tenants.all());

        assertThat(labels(tree.root())).containsExactly("new text two");
        assertThat(tree.nodeCount()).isEqualTo(1);
        assertThat(a.chars()).isEqualTo(12);
    }

    @Test
    void evictionTakesSharedNodesFromTheOverBoundTenantOnly() {
        tree.insert("shared prefix " + "a".repeat(20), a);
        tree.insert("shared prefix " + "b".repeat(20), b);

        tree.evict(0, List.of(a));

        assertThat(a.chars()).isZero();
        assertThat(tree.match("shared prefix " + "b".repeat(20)).matchedChars()).isEqualTo(34);
        assertThat(tenantsOf(tree.match("shared prefix ").slotsAt(0))).containsExactly(b.index());
    }

    @Test
    void removeAllTakesEverySlotOfATenant() {
        tree.insert("shared prefix, then a", a);
        tree.insert("shared prefix, then b", b);
        tree.insert("only a here", a);

        tree.removeAll(a);

        assertThat(a.chars()).isZero();
        assertThat(tree.countCharsByTenant()).doesNotContainKey(a.index()).containsEntry(b.index(), 21L);
        assertThat(labels(tree.root())).containsExactly("shared prefix, then ");
        assertThat(tree.match("only a here").matchedChars()).isZero();
    }

    @ParameterizedTest(name = "evictions running: {0}")
    @ValueSource(booleans = {false, true})
    void concurrentInsertsAndEvictionsKeepTheTreeConsistent(boolean evicting) throws Exception {
        int threads = 8;
        List<Tenant> all = IntStream.range(0, 6).mapToObj(i -> tenants.tenantOf("w" + i)).toList();
        List<String> texts = new ArrayList<>();
        Random random = new Random(42);
        for (int group = 0; group < 5; group++) {
            String system = "system " + group + " " + "lorem ipsum ".repeat(20 + group);
            for (int user = 0; user < 40; user++) {
                StringBuilder conversation = new StringBuilder(system);
                for (int turn = 0; turn < 4; turn++) {
                    conversation.append("user ").append(user).append(" turn ").append(turn).append(' ')
                            .append("w".repeat(random.nextInt(30)));
                    texts.add(conversation.toString());
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                running.add(pool.submit(() -> {
                    start.await();
                    Random r = new Random(seed);
                    for (int i = 0; i < 20_000; i++) {
                        String text = texts.get(r.nextInt(texts.size()));
                        Tenant tenant = all.get(r.nextInt(all.size()));
                        if (i % 2 == 0) {
                            tree.insert(text, tenant);
                        } else {
                            tree.insert(text, tenant, tree.match(text));
                        }
                        // An eviction running meanwhile may take it again (by the epochs it read before): only
                        // without evictions must a text just inserted be found whole.
                        PrefixMatch match = tree.match(text);
                        if (!evicting && match.matchedChars() != text.length()) {
                            throw new AssertionError("just inserted text not fully matched: " + match.matchedChars());
                        }
                    }
                    return null;
                }));
            }
            running.add(pool.submit(() -> {
                start.await();
                for (int i = 0; evicting && i < 50; i++) {
                    tree.evict(2_000, all);
                }
                return null;
            }));
            start.countDown();
            for (Future<?> future : running) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertStructurallySound(tree.root());
        Map<Integer, Long> counted = tree.countCharsByTenant();
        for (Tenant tenant : all) {
            assertThat(tenant.chars()).as("chars of %s", tenant).isEqualTo(counted.getOrDefault(tenant.index(), 0L));
        }
        tree.evict(2_000, all);
        assertThat(all).allSatisfy(tenant -> assertThat(tenant.chars()).isLessThanOrEqualTo(2_000));
    }

    /** Labels non-empty, siblings sorted by a unique first character, no dead node reachable, no empty leaf. */
    static void assertStructurallySound(PrefixTree.Node root) {
        List<PrefixTree.Node> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            PrefixTree.Node node = stack.remove(stack.size() - 1);
            List<PrefixTree.Node> children = node.childList();
            for (int i = 0; i < children.size(); i++) {
                PrefixTree.Node child = children.get(i);
                assertThat(child.label()).isNotEmpty();
                assertThat(child.dead).as("dead node reachable").isFalse();
                if (i > 0) {
                    assertThat(child.label().charAt(0)).isGreaterThan(children.get(i - 1).label().charAt(0));
                }
                int[] holders = child.tenantIndices();
                assertThat(Arrays.stream(holders).distinct().count()).isEqualTo(holders.length);
                stack.add(child);
            }
        }
    }

    private static PrefixTree.Node child(PrefixTree.Node node, char first) {
        return node.childList().stream().filter(c -> c.label().charAt(0) == first).findFirst().orElseThrow();
    }

    private static List<String> labels(PrefixTree.Node node) {
        return node.childList().stream().map(PrefixTree.Node::label).toList();
    }

    private static int[] tenantsOf(long[] slots) {
        return Arrays.stream(slots).mapToInt(PrefixTree::tenantOf).toArray();
    }
}
