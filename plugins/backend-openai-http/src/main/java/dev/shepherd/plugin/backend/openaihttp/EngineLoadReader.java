package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.backend.LoadReport;
import dev.shepherd.spi.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads an engine's load from its Prometheus {@code GET /metrics}, which vLLM and SGLang both serve:
 * KV-cache usage (mean over the engine's series, e.g. its data-parallel ranks), running and waiting
 * requests (summed). Names are tried in order and the first one present wins, so an engine exporting
 * both families is not counted twice. Never completes exceptionally: no answer is an empty report.
 */
final class EngineLoadReader {

    static final String METRICS_PATH = "/metrics";

    private static final List<String> KV_USAGE = List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc",
            "sglang:token_usage", "sglang_token_usage");
    private static final List<String> RUNNING = List.of("vllm:num_requests_running", "sglang:num_running_reqs",
            "sglang_num_running_reqs");
    private static final List<String> WAITING = List.of("vllm:num_requests_waiting", "sglang:num_queue_reqs",
            "sglang_num_queue_reqs");

    private final UpstreamClient client;

    EngineLoadReader(UpstreamClient client) {
        this.client = client;
    }

    CompletionStage<Optional<LoadReport>> read(Worker worker, Duration timeout) {
        try {
            return client.get(worker.url(), worker.apiKey(), METRICS_PATH, timeout, CollectingSink.keepingBody())
                    .handle((response, error) -> error != null || !response.isSuccess()
                            ? Optional.<LoadReport>empty()
                            : parse(new String(response.body(), StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    /** The report a metrics text holds, or empty when it has none of the known gauges. */
    static Optional<LoadReport> parse(String text) {
        Map<String, double[]> sums = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int nameEnd = nameEnd(line);
            String name = line.substring(0, nameEnd);
            if (!KV_USAGE.contains(name) && !RUNNING.contains(name) && !WAITING.contains(name)) {
                continue;
            }
            Double value = value(line, nameEnd);
            if (value != null) {
                double[] sum = sums.computeIfAbsent(name, n -> new double[2]);
                sum[0] += value;
                sum[1]++;
            }
        }
        double kv = first(sums, KV_USAGE, true);
        double running = first(sums, RUNNING, false);
        double waiting = first(sums, WAITING, false);
        if (kv < 0 && running < 0 && waiting < 0) {
            return Optional.empty();
        }
        return Optional.of(new LoadReport(kv, (int) running, (int) waiting));
    }

    private static int nameEnd(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    /** The sample's value: the first field after the labels. */
    private static Double value(String line, int nameEnd) {
        int i = nameEnd;
        if (i < line.length() && line.charAt(i) == '{') {
            i = line.indexOf('}', i);
            if (i < 0) {
                return null;
            }
            i++;
        }
        String[] fields = line.substring(i).trim().split("\\s+");
        try {
            double v = Double.parseDouble(fields[0]);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double first(Map<String, double[]> sums, List<String> names, boolean mean) {
        for (String name : names) {
            double[] sum = sums.get(name);
            if (sum != null) {
                return mean ? sum[0] / sum[1] : sum[0];
            }
        }
        return -1;
    }
}
