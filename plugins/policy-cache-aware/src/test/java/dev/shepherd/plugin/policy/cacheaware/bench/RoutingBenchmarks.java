package dev.shepherd.plugin.policy.cacheaware.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link DecisionLatencyBenchmark} over the matrix of docs/routing-benchmarks.md and prints one
 * Markdown table: {@code cache_aware} (Shepherd's defaults and the SMG baseline) at 4/16/64 workers and
 * 1k/8k/32k-character prompts on 1 thread, {@code cache_aware} again on 2 threads (the machine's cores),
 * and the policy-basic policies at 16 workers on 1 thread. Not a test: run it by hand (README.md, "Benchmarks").
 *
 * <p>Arguments: {@code quick} shortens every iteration (a smoke run, figures not for publishing).
 */
public final class RoutingBenchmarks {

    private RoutingBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        PrintStream out = System.out;
        List<String[]> rows = new ArrayList<>();
        rows.addAll(run(quick, 1, new String[] {"cache_aware", "cache_aware_smg"}, new String[] {"4", "16", "64"}));
        rows.addAll(run(quick, 2, new String[] {"cache_aware"}, new String[] {"4", "16", "64"}));
        rows.addAll(run(quick, 1, new String[] {"round_robin", "random", "power_of_two", "least_load",
            "consistent_hashing", "prefix_hash"}, new String[] {"16"}));

        out.println();
        out.println("| policy | workers | prompt chars | threads | mean µs | p50 µs | p99 µs | p99.9 µs |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String[] row : rows) {
            out.println("| " + String.join(" | ", row) + " |");
        }
    }

    private static List<String[]> run(boolean quick, int threads, String[] policies, String[] workers) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(DecisionLatencyBenchmark.class.getName())
                .threads(threads)
                .param("policy", policies)
                .param("workers", workers)
                .param("promptChars", "1000", "8000", "32000");
        if (quick) {
            options.warmupIterations(1).warmupTime(org.openjdk.jmh.runner.options.TimeValue.milliseconds(300))
                    .measurementIterations(1).measurementTime(org.openjdk.jmh.runner.options.TimeValue.milliseconds(500));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<String[]> rows = new ArrayList<>();
        for (RunResult result : results) {
            Statistics stats = result.getPrimaryResult().getStatistics();
            var params = result.getParams();
            rows.add(new String[] {
                params.getParam("policy"), params.getParam("workers"), params.getParam("promptChars"),
                String.valueOf(threads), fmt(stats.getMean()), fmt(stats.getPercentile(50)),
                fmt(stats.getPercentile(99)), fmt(stats.getPercentile(99.9))});
        }
        return rows;
    }

    private static String fmt(double micros) {
        return String.format(Locale.ROOT, micros < 10 ? "%.2f" : "%.1f", micros);
    }
}
