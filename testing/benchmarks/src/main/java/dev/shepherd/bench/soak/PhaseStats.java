package dev.shepherd.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The counts and latencies of one load phase. Thread-safe. */
final class PhaseStats {

    /** A successful answer kept for the text check against an uninterrupted generation. */
    record Answer(String prompt, int maxTokens, boolean stream, String text, boolean resumed) {
    }

    final String name;
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder hung = new LongAdder();
    final LongAdder resumed = new LongAdder();
    final LongAdder streams = new LongAdder();
    final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<Answer> answers = new ArrayList<>();
    private long[] latencies = new long[1 << 14];
    private int latencyCount;
    long wallMillis;

    PhaseStats(String name) {
        this.name = name;
    }

    void record(Outcome outcome, long micros, String prompt, int maxTokens, boolean stream, boolean keepAnswer) {
        if (stream) {
            streams.increment();
        }
        switch (outcome.kind()) {
            case OK -> {
                ok.increment();
                if (outcome.resumed()) {
                    resumed.increment();
                }
                synchronized (this) {
                    if (latencyCount == latencies.length) {
                        latencies = Arrays.copyOf(latencies, latencies.length * 2);
                    }
                    latencies[latencyCount++] = micros;
                    if (keepAnswer || outcome.resumed()) {
                        answers.add(new Answer(prompt, maxTokens, stream, outcome.text(), outcome.resumed()));
                    }
                }
            }
            case ERROR -> {
                errors.increment();
                String key = outcome.status() + " " + outcome.errorCode();
                if (errorsByCode.computeIfAbsent(key, k -> new LongAdder()).sum() < 3) {
                    problem("ERROR " + (stream ? "stream" : "json") + " " + key + ": " + outcome.detail());
                }
                errorsByCode.get(key).increment();
            }
            case LOST -> {
                lost.increment();
                problem("LOST " + (stream ? "stream" : "json") + " status=" + outcome.status() + ": " + outcome.detail());
            }
            case HUNG -> {
                hung.increment();
                problem("HUNG " + (stream ? "stream" : "json") + ": " + outcome.detail());
            }
        }
    }

    private synchronized void problem(String what) {
        if (problems.size() < 50) {
            problems.add(what);
        }
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Latency percentile of successful requests, in milliseconds (nearest rank). */
    synchronized double percentileMillis(double p) {
        if (latencyCount == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }

    synchronized double maxMillis() {
        long max = 0;
        for (int i = 0; i < latencyCount; i++) {
            max = Math.max(max, latencies[i]);
        }
        return max / 1000.0;
    }

    Map<String, Long> errorCodes() {
        Map<String, Long> sorted = new TreeMap<>();
        errorsByCode.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }
}
