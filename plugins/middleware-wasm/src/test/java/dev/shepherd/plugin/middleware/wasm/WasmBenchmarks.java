package dev.shepherd.plugin.middleware.wasm;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link WasmCallBenchmark} and prints the Markdown table of docs/wasm.md. Not a test: run by hand.
 * Argument {@code quick}: short iterations (a smoke run, figures not for publishing).
 */
public final class WasmBenchmarks {

    private WasmBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        ChainedOptionsBuilder options = new OptionsBuilder().include(WasmCallBenchmark.class.getName());
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(1).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        PrintStream out = System.out;
        out.println();
        out.println("| measured | engine | guest | mean µs | p50 µs | p90 µs | p99 µs |");
        out.println("|---|---|---|---:|---:|---:|---:|");
        boolean hopShown = false;
        for (RunResult result : results) {
            Statistics stats = result.getPrimaryResult().getStatistics();
            String label = result.getParams().getBenchmark();
            String method = label.substring(label.lastIndexOf('.') + 1);
            boolean hopOnly = method.equals("virtualThreadHop");
            if (hopOnly && hopShown) {
                continue;
            }
            hopShown |= hopOnly;
            out.println("| " + method + " | " + (hopOnly ? "—" : result.getParams().getParam("engine")) + " | "
                    + (hopOnly ? "—" : result.getParams().getParam("guest")) + " | " + f(stats.getMean()) + " | "
                    + f(stats.getPercentile(50)) + " | " + f(stats.getPercentile(90)) + " | " + f(stats.getPercentile(99)) + " |");
        }
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
    }
}
