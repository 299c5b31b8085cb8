package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The assembled server's Prometheus metrics, scraped from its own listener while two simulated
 * engines serve chats: the series move as the traffic says they must, a faulty worker's breaker
 * state shows, and every metric {@code docs/metrics.md} documents is in the scrape with the type and
 * labels the document gives it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsE2ETest {

    private static final String MODEL = "sim-model";
    private static final String CHAT = "/v1/chat/completions";
    private static final int MAX_TOKENS = 8;

    private static SimEngine steady;
    private static SimEngine faulty;
    private static GatewayProcess gateway;
    private static int metricsPort;
    private static Path manifest;

    @BeforeAll
    static void start() throws IOException {
        steady = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels(MODEL));
        faulty = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels(MODEL));
        metricsPort = GatewayProcess.freePort();
        manifest = Files.createTempFile("metrics-e2e-", ".yaml");
        Files.writeString(manifest, "observability:\n  metrics_on_main_port: true\n");
        gateway = GatewayProcess.launch(Duration.ofSeconds(90), "--config", manifest.toString(),
                "--worker-urls", steady.url(), faulty.url(), "--policy", "round_robin",
                "--prometheus-host", "127.0.0.1", "--prometheus-port", Integer.toString(metricsPort),
                "--health-check-interval-secs", "1", "--cb-failure-threshold", "2", "--retry-initial-backoff-ms", "10",
                "--max-concurrent-requests", "64");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("healthy_workers").asInt() == 2);
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (steady != null) {
            steady.close();
        }
        if (faulty != null) {
            faulty.close();
        }
        if (manifest != null) {
            Files.deleteIfExists(manifest);
        }
    }

    @Test
    @Order(1)
    void requestsTokensAndSelectionsAreCountedOnceEach() {
        Scrape before = scrape();
        long promptTokens = 0;
        long completionTokens = 0;
        long cachedTokens = 0;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = Http.post(gateway.baseUrl() + CHAT, "application/json", body("plain " + (i % 3), false));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode usage = Http.json(r).path("usage");
            promptTokens += usage.path("prompt_tokens").asLong();
            completionTokens += usage.path("completion_tokens").asLong();
            cachedTokens += usage.path("prompt_tokens_details").path("cached_tokens").asLong();
        }
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = Http.post(gateway.baseUrl() + CHAT, "application/json", body("stream " + i, true));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode usage = streamUsage(r.body());
            assertThat(usage).as("the stream's usage chunk: %s", r.body()).isNotNull();
            promptTokens += usage.path("prompt_tokens").asLong();
            completionTokens += usage.path("completion_tokens").asLong();
            cachedTokens += usage.path("prompt_tokens_details").path("cached_tokens").asLong();
        }
        Scrape after = settledScrape();

        Map<String, String> chat = Map.of("route", CHAT, "method", "POST");
        assertThat(after.delta(before, "smg_http_requests_total", chat)).isEqualTo(16);
        assertThat(after.delta(before, "smg_http_request_duration_seconds_count", chat)).isEqualTo(16);
        assertThat(after.delta(before, "smg_http_responses_total",
                Map.of("route", CHAT, "status_code", "2xx", "error_code", "none"))).isEqualTo(16);
        assertThat(after.delta(before, "smg_router_requests_total", Map.of("model", MODEL, "endpoint", "chat",
                "streaming", "false"))).isEqualTo(10);
        assertThat(after.delta(before, "smg_router_requests_total", Map.of("model", MODEL, "streaming", "true")))
                .isEqualTo(6);
        assertThat(after.delta(before, "smg_router_request_duration_seconds_count", Map.of("model", MODEL))).isEqualTo(16);
        // Time to first token and per token are streaming figures: six streams, no more.
        assertThat(after.delta(before, "smg_router_ttft_seconds_count", Map.of("model", MODEL))).isEqualTo(6);
        assertThat(after.delta(before, "smg_router_ttft_seconds_sum", Map.of("model", MODEL))).isPositive();
        assertThat(after.delta(before, "smg_router_tpot_seconds_count", Map.of("model", MODEL))).isEqualTo(6);
        assertThat(after.delta(before, "smg_router_generation_duration_seconds_count", Map.of("model", MODEL)))
                .isEqualTo(16);
        // Tokens: exactly what the engines reported to the clients.
        assertThat(after.delta(before, "smg_router_tokens_total", Map.of("model", MODEL, "token_type", "prompt")))
                .isEqualTo(promptTokens);
        assertThat(after.delta(before, "smg_router_tokens_total", Map.of("model", MODEL, "token_type", "completion")))
                .isEqualTo(completionTokens).isEqualTo(16 * MAX_TOKENS);
        assertThat(after.delta(before, "smg_router_tokens_total", Map.of("model", MODEL, "token_type", "cached")))
                .isEqualTo(cachedTokens);
        // Round robin spreads the sixteen over both workers; the per-worker selections add up to the requests.
        double toSteady = after.delta(before, "smg_worker_selection_total", Map.of("worker", steady.url(), "model", MODEL,
                "policy", "round_robin"));
        double toFaulty = after.delta(before, "smg_worker_selection_total", Map.of("worker", faulty.url(), "model", MODEL));
        assertThat(toSteady + toFaulty).isEqualTo(16);
        assertThat(toSteady).isEqualTo(8);
        assertThat(after.delta(before, "smg_worker_request_duration_seconds_count", Map.of())).isEqualTo(16);
        assertThat(after.delta(before, "smg_router_upstream_responses_total",
                Map.of("status_code", "2xx", "error_code", "none"))).isEqualTo(16);
        assertThat(after.delta(before, "smg_plugin_calls_total", Map.of("plugin", "policy-basic",
                "extension", "round_robin", "method", "select", "outcome", "ok"))).isEqualTo(16);
        assertThat(after.delta(before, "smg_plugin_calls_total", Map.of("plugin", "backend-openai-http",
                "method", "call", "outcome", "ok"))).isEqualTo(16);
        assertThat(after.delta(before, "smg_scheduler_admit_total", Map.of("priority_class", "default"))).isEqualTo(16);
        assertThat(after.delta(before, "smg_scheduler_queue_wait_seconds_count", Map.of())).isEqualTo(16);
        assertThat(after.delta(before, "smg_http_rate_limit_total", Map.of("result", "allowed"))).isEqualTo(16);
        // Nothing is left in flight once every answer is in.
        assertThat(after.value("smg_http_requests_active", Map.of())).isZero();
        assertThat(after.value("smg_router_streams_active", Map.of())).isZero();
        assertThat(after.value("smg_worker_requests_active", Map.of())).isZero();
        assertThat(after.value("smg_scheduler_inflight", Map.of())).isZero();
        assertThat(after.value("smg_worker_pool_size", Map.of("status", "ready"))).isEqualTo(2);
        assertThat(after.value("smg_worker_health_checks_total", Map.of("worker", steady.url(), "result", "success")))
                .isPositive();
        assertThat(after.value("smg_gateway_info", Map.of())).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aFaultyWorkersErrorsRetriesAndBreakerShow() {
        Scrape before = scrape();
        assertThat(before.value("smg_worker_cb_state", Map.of("worker", faulty.url()))).isZero();
        faulty.faults().errorRate(1.0).errorStatus(500);

        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = Http.post(gateway.baseUrl() + CHAT, "application/json", body("fault " + i, false));
            assertThat(r.statusCode()).as("retried on the steady worker: %s", r.body()).isEqualTo(200);
        }
        Scrape after = settledScrape();

        // Threshold 2: two failed attempts open the faulty worker's circuit; both were retried on the
        // steady worker, and the faulty one was not chosen again.
        Map<String, String> onFaulty = Map.of("worker", faulty.url());
        assertThat(after.value("smg_worker_cb_state", onFaulty)).isEqualTo(1);
        assertThat(after.value("smg_worker_cb_state", Map.of("worker", steady.url()))).isZero();
        assertThat(after.delta(before, "smg_worker_cb_transitions_total",
                Map.of("worker", faulty.url(), "from", "closed", "to", "open"))).isEqualTo(1);
        assertThat(after.delta(before, "smg_worker_cb_outcomes_total", Map.of("worker", faulty.url(), "outcome", "failure")))
                .isEqualTo(2);
        assertThat(after.delta(before, "smg_worker_errors_total", Map.of("worker", faulty.url(), "error_type", "status_5xx")))
                .isEqualTo(2);
        assertThat(after.delta(before, "smg_worker_retries_total", onFaulty)).isEqualTo(2);
        assertThat(after.delta(before, "smg_worker_retry_backoff_seconds_count", Map.of())).isEqualTo(2);
        assertThat(after.delta(before, "smg_worker_selection_total", onFaulty)).isEqualTo(2);
        assertThat(after.delta(before, "smg_worker_selection_total", Map.of("worker", steady.url()))).isEqualTo(8);
        assertThat(after.delta(before, "smg_router_upstream_responses_total",
                Map.of("status_code", "5xx", "error_code", "none"))).isEqualTo(2);
        assertThat(after.delta(before, "smg_router_upstream_responses_total",
                Map.of("status_code", "2xx", "error_code", "none"))).isEqualTo(8);
        // Still one request each, all answered well, none exhausted.
        assertThat(after.delta(before, "smg_http_requests_total", Map.of("route", CHAT))).isEqualTo(8);
        assertThat(after.delta(before, "smg_http_responses_total", Map.of("route", CHAT, "status_code", "2xx"))).isEqualTo(8);
        assertThat(after.delta(before, "smg_worker_retries_exhausted_total", Map.of())).isZero();

        // An unknown model: an error the gateway answers itself, under a bounded model label.
        HttpResponse<String> unknown = Http.post(gateway.baseUrl() + CHAT, "application/json",
                body("hello", false).replace(MODEL, "no-such-model"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        Scrape last = settledScrape();
        assertThat(last.delta(after, "smg_http_responses_total", Map.of("route", CHAT, "status_code", "4xx",
                "error_code", "model_not_found"))).isEqualTo(1);
        assertThat(last.delta(after, "smg_router_request_errors_total", Map.of("model", "other",
                "error_type", "model_not_found"))).isEqualTo(1);
        assertThat(last.labelValues("smg_router_requests_total", "model")).doesNotContain("no-such-model");
    }

    @Test
    @Order(3)
    void anUnhealthyWorkersFailedProbesAndHealthShow() {
        faulty.faults().unhealthy(true);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Scrape now = scrape();
            assertThat(now.value("smg_worker_health", Map.of("worker", faulty.url()))).isZero();
            assertThat(now.value("smg_worker_health", Map.of("worker", steady.url()))).isEqualTo(1);
            assertThat(now.value("smg_worker_health_checks_total", Map.of("worker", faulty.url(), "result", "failure")))
                    .isGreaterThanOrEqualTo(3);
            assertThat(now.value("smg_worker_pool_size", Map.of("status", "not_ready"))).isEqualTo(1);
            assertThat(now.value("smg_plugin_calls_total", Map.of("method", "probe", "outcome", "unhealthy"))).isPositive();
        });
    }

    @Test
    @Order(4)
    void theMainPortServesTheSameMetricsWhenConfigured() {
        HttpResponse<String> r = Http.get(gateway.baseUrl() + "/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).contains("# TYPE smg_http_requests_total counter");
    }

    @Test
    @Order(5)
    void everyDocumentedMetricIsScrapedWithItsDocumentedTypeAndLabels() throws IOException {
        List<DocumentedMetric> documented = documentedMetrics();
        Scrape scrape = scrape();

        assertThat(documented.stream().filter(m -> m.name.startsWith("smg_")).count())
                .as("gateway metrics documented").isGreaterThanOrEqualTo(40);
        List<String> faults = new ArrayList<>();
        for (DocumentedMetric m : documented) {
            String type = scrape.types.get(m.name);
            if (type == null) {
                faults.add(m.name + ": not in the scrape");
                continue;
            }
            if (!type.equals(m.type)) {
                faults.add(m.name + ": documented as " + m.type + " but scraped as " + type);
            }
            Set<String> labels = scrape.labelsOf(m.name);
            labels.remove("le");
            if (!labels.equals(m.labels)) {
                faults.add(m.name + ": documented labels " + m.labels + " but scraped " + labels);
            }
        }
        assertThat(faults).as("docs/metrics.md against a live scrape").isEmpty();
    }

    @Test
    @Order(6)
    void theExampleDashboardQueriesOnlyDocumentedMetrics() throws IOException {
        String doc = Files.readString(metricsDoc());
        String dashboard = Files.readString(metricsDoc().getParent().getParent().resolve("examples/grafana/shepherd-dashboard.json"));
        JsonNode panels = Http.JSON.readTree(dashboard).path("panels");
        assertThat(panels.size()).isGreaterThan(20);

        Set<String> undocumented = new TreeSet<>();
        Matcher name = Pattern.compile("\\b((?:smg|jvm|process)_[a-z0-9_]+)").matcher(dashboard);
        while (name.find()) {
            String family = name.group(1).replaceAll("_(bucket|sum|count)$", "");
            if (!doc.contains("`" + family + "`") && !doc.contains("`" + family + "{")) {
                undocumented.add(family);
            }
        }
        assertThat(undocumented).as("metrics the dashboard queries but docs/metrics.md does not list").isEmpty();
    }

    private static String body(String prompt, boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + MAX_TOKENS + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}]" + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }

    /** The usage object of a stream's usage chunk, or null. */
    private static JsonNode streamUsage(String sse) {
        JsonNode usage = null;
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {")) {
                try {
                    JsonNode event = Http.JSON.readTree(line.substring(6));
                    if (event.path("usage").isObject()) {
                        usage = event.path("usage");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return usage;
    }

    /**
     * A scrape taken once no request is being served: the gateway counts a request when its exchange
     * completes, which can be just after the client has read the answer.
     */
    private static Scrape settledScrape() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> scrape().value("smg_http_requests_active", Map.of()) == 0);
        return scrape();
    }

    private static Scrape scrape() {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + metricsPort + "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return Scrape.parse(r.body());
    }

    /** A parsed Prometheus text exposition. */
    private record Scrape(List<Sample> samples, Map<String, String> types) {

        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static Scrape parse(String text) {
            List<Sample> samples = new ArrayList<>();
            Map<String, String> types = new HashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    types.put(parts[2], parts[3]);
                    continue;
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("not a Prometheus sample line: " + line);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            }
            return new Scrape(samples, types);
        }

        /** The sum of the samples of {@code name} whose labels include {@code match}. */
        double value(String name, Map<String, String> match) {
            double sum = 0;
            for (Sample s : samples) {
                if (s.name.equals(name) && s.labels.entrySet().containsAll(match.entrySet())) {
                    sum += s.value;
                }
            }
            return sum;
        }

        double delta(Scrape before, String name, Map<String, String> match) {
            return value(name, match) - before.value(name, match);
        }

        /** The values one label takes across a metric's samples. */
        Set<String> labelValues(String name, String label) {
            Set<String> values = new TreeSet<>();
            for (Sample s : samples) {
                if (s.name.equals(name) && s.labels.containsKey(label)) {
                    values.add(s.labels.get(label));
                }
            }
            return values;
        }

        /** Every label name the samples of a metric family carry. */
        Set<String> labelsOf(String family) {
            Set<String> labels = new TreeSet<>();
            for (Sample s : samples) {
                if (s.name.equals(family) || s.name.equals(family + "_bucket") || s.name.equals(family + "_count")
                        || s.name.equals(family + "_sum")) {
                    labels.addAll(s.labels.keySet());
                }
            }
            return labels;
        }
    }

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One row of a {@code | metric | type | labels | meaning |} table of docs/metrics.md. */
    private record DocumentedMetric(String name, String type, Set<String> labels) {
    }

    private static List<DocumentedMetric> documentedMetrics() throws IOException {
        List<DocumentedMetric> result = new ArrayList<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(metricsDoc())) {
            if (line.startsWith("| metric | type | labels | meaning |")) {
                inTable = true;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            String name = cells[1].trim().replace("`", "");
            String type = cells[2].trim();
            Set<String> labels = new TreeSet<>();
            Matcher label = Pattern.compile("`([a-z_]+)`").matcher(cells[3]);
            while (label.find()) {
                labels.add(label.group(1));
            }
            result.add(new DocumentedMetric(name, type, labels));
        }
        assertThat(result).as("metric tables in docs/metrics.md").isNotEmpty();
        return result;
    }

    private static Path metricsDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/metrics.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException("docs/metrics.md not found above " + Path.of("").toAbsolutePath());
    }
}
