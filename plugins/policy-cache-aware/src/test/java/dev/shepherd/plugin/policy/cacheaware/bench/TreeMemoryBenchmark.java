package dev.shepherd.plugin.policy.cacheaware.bench;

import dev.shepherd.plugin.policy.cacheaware.CacheAwarePolicyFactory;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Heap retained by the {@code cache_aware} tree per million characters it holds, measured as the used
 * heap after full GCs before and after routing a workload through a policy (the workload's own strings
 * are generated on the fly and dropped). Two shapes: distinct prompts (one long leaf each) and multi-turn
 * conversations under shared system prompts (many short nodes). A third run with a small
 * {@code max_tree_size} shows the bound holding while ten times as much text flows through.
 *
 * <p>Run by hand with a fixed heap, e.g. {@code -Xms4g -Xmx4g -XX:+UseParallelGC} (README.md, "Benchmarks").
 */
public final class TreeMemoryBenchmark {

    private TreeMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        out.println("| workload | workers | chars routed | chars held (sum over workers) | retained heap MiB | bytes per char held |");
        out.println("|---|---:|---:|---:|---:|---:|");
        out.println(measure("distinct 8k-char prompts", 4, 67_108_864L, false, 20_000_000));
        out.println(measure("multi-turn chats, 16 shared system prompts", 4, 67_108_864L, true, 20_000_000));
        out.println(measure("multi-turn chats, max_tree_size 1,000,000", 4, 1_000_000L, true, 40_000_000));
    }

    private static String measure(String name, int workerCount, long maxTreeSize, boolean conversations, long charsToRoute)
            throws Exception {
        List<Worker> fleet = BenchFixtures.fleet(workerCount, 3);
        long before = usedHeapAfterGc();
        BenchFixtures.BenchContext context = new BenchFixtures.BenchContext();
        Policy policy = BenchFixtures.create(new CacheAwarePolicyFactory(),
                "{\"max_tree_size\":" + maxTreeSize + "}", context);
        Random random = new Random(5);
        long routed = 0;
        long requests = 0;
        String[] systems = new String[16];
        for (int g = 0; g < systems.length; g++) {
            systems[g] = "system\n" + g + " " + words(random, 4_000) + "\n";
        }
        while (routed < charsToRoute) {
            if (conversations) {
                StringBuilder history = new StringBuilder(systems[random.nextInt(systems.length)]);
                history.append("user\n").append(requests).append(' ');
                for (int turn = 0; turn < 6; turn++) {
                    history.append(words(random, 300)).append("\nassistant\n").append(words(random, 200)).append("\nuser\n");
                    String text = history.toString();
                    policy.select(fleet, BenchFixtures.request(text));
                    routed += text.length();
                    requests++;
                }
            } else {
                String text = requests + " " + words(random, 8_000);
                policy.select(fleet, BenchFixtures.request(text));
                routed += text.length();
                requests++;
            }
        }
        double held = context.meters().get("smg_cache_aware_tree_chars").gauge().value();
        long after = usedHeapAfterGc();
        double retained = after - before;
        String row = String.format(Locale.ROOT, "| %s | %d | %,d | %,.0f | %.1f | %.2f |", name, workerCount, routed,
                held, retained / (1 << 20), retained / held);
        // Keep the policy reachable until measured, then release it.
        if (policy instanceof AutoCloseable closeable) {
            closeable.close();
        }
        context.close();
        return row;
    }

    private static String words(Random random, int chars) {
        StringBuilder text = new StringBuilder(chars + 12);
        while (text.length() < chars) {
            text.append(Integer.toString(random.nextInt(50_000), 36)).append(' ');
        }
        text.setLength(chars);
        return text.toString();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
