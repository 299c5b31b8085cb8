package dev.shepherd.bench.routing;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The routing workload benchmark: one seeded shared-prefix workload ({@link WorkloadPlan}) sent through
 * the assembled gateway to four simulated engines with a bounded KV cache, once per policy, in one run.
 * For each policy: the KV-cache hit rate (sum of {@code usage.prompt_tokens_details.cached_tokens} over
 * sum of {@code prompt_tokens}), time to first content chunk (mean, p50, p99), throughput, and load
 * spread (max over mean chat requests per engine, from the engines' {@code /sim/stats}). Engines are
 * flushed and their stats reset before each policy; the gateway is started afresh per policy.
 *
 * <p>Everything runs on 127.0.0.1: the gateway as a child process of the distribution ({@code bin/smg
 * launch}), the engines inside this JVM ({@link InProcessEngines}, loaded from the distribution's
 * {@code lib/}) or, with {@code --engines process}, as {@code bin/smg sim} child processes. The harness
 * compiles against the JDK only. Usage (docs/routing-benchmarks.md):
 * <pre>
 * java -cp testing/benchmarks/target/classes dev.shepherd.bench.routing.RoutingWorkloadBenchmark \
 *   --dist distributions/server/target/shepherd-server \
 *   --extra-plugin plugins/policy-cache-aware/target/policy-cache-aware-0.1.0-SNAPSHOT.zip \
 *   [--policies round_robin,random,...] [--seed 42] [--concurrency 32] [--groups 16] [--users-per-group 12]
 *   [--turns 4] [--system-words 1500] [--max-tokens 48] [--kv-tokens 20000] [--prefill-tps 50000]
 *   [--decode-ms 1.0] [--max-running 64] [--repeat 1] [--warm-engines true] [--out file.md]
 * </pre>
 * With {@code --repeat N} the policy list runs N times in order (interleaved, so drifting machine load
 * hits every policy alike); {@code --warm-engines} first runs the first policy once, unrecorded, so no
 * policy pays for the engines' cold JVMs.
 * A policy is a name, optionally {@code name:variant} where the variant names a manifest section kept
 * in {@link #VARIANTS} ({@code cache_aware:smg} runs SMG's algorithm with every Shepherd key off).
 */
public final class RoutingWorkloadBenchmark {

    private static final String MODEL = "sim-model";
    private static final int ENGINES = 4;
    private static final int WARM_UP_REQUESTS = 400;
    private static final Pattern CHAT_REQUESTS = Pattern.compile("\"/v1/chat/completions\"\\s*:\\s*(\\d+)");

    /** Manifest sections for policy variants, by "name:variant". */
    static final Map<String, String> VARIANTS = Map.of(
            "cache_aware:smg", "affinity_load_factor: 0\n      queued_tokens_per_request: 0\n      kv_high_watermark: 1.0",
            "cache_aware:smallest_tree", "miss_placement: smallest_tree");

    private RoutingWorkloadBenchmark() {
    }

    /** The figures of one policy's run. */
    record Result(String policy, int requests, int errors, double hitRate, double uncachedPerRequest,
                  double ttftMeanMs, double ttftP50Ms, double ttftP99Ms, double requestsPerSecond, double loadSpread,
                  long[] perEngine) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path dist = Path.of(options.getOrDefault("dist", "distributions/server/target/shepherd-server")).toAbsolutePath();
        List<String> policies = List.of(options.getOrDefault("policies",
                "round_robin,random,power_of_two,consistent_hashing,prefix_hash,cache_aware:smg,cache_aware:smallest_tree,cache_aware")
                .split(","));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        int groups = Integer.parseInt(options.getOrDefault("groups", "16"));
        int usersPerGroup = Integer.parseInt(options.getOrDefault("users-per-group", "12"));
        int turns = Integer.parseInt(options.getOrDefault("turns", "4"));
        int systemWords = Integer.parseInt(options.getOrDefault("system-words", "1500"));
        int maxTokens = Integer.parseInt(options.getOrDefault("max-tokens", "48"));
        String kvTokens = options.getOrDefault("kv-tokens", "20000");
        String prefillTps = options.getOrDefault("prefill-tps", "50000");
        String decodeMs = options.getOrDefault("decode-ms", "1.0");
        String maxRunning = options.getOrDefault("max-running", "64");
        int repeat = Integer.parseInt(options.getOrDefault("repeat", "1"));
        boolean warmEngines = Boolean.parseBoolean(options.getOrDefault("warm-engines", "true"));

        Path work = Files.createTempDirectory("shepherd-routing-bench");
        Path pluginsDir = Files.createDirectories(work.resolve("plugins"));
        try (Stream<Path> zips = Files.list(dist.resolve("plugins"))) {
            for (Path zip : zips.filter(p -> p.toString().endsWith(".zip")).toList()) {
                Files.copy(zip, pluginsDir.resolve(zip.getFileName()));
            }
        }
        if (options.containsKey("extra-plugin")) {
            for (String extra : options.get("extra-plugin").split(",")) {
                Path zip = Path.of(extra).toAbsolutePath();
                Files.copy(zip, pluginsDir.resolve(zip.getFileName()));
            }
        }
        PrintStream out = System.out;
        WorkloadPlan plan = WorkloadPlan.generate(seed, groups, systemWords, usersPerGroup, turns, 40, 80, maxTokens);
        out.printf(Locale.ROOT, "workload: %d groups x %d users x %d turns = %d requests, system prompt %d words,"
                + " concurrency %d, %d engines with kv_tokens %s, prefill %s tok/s, decode %s ms; logs in %s%n",
                groups, usersPerGroup, turns, plan.requests(), systemWords, concurrency, ENGINES, kvTokens,
                prefillTps, decodeMs, work);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String smg = dist.resolve("bin/smg").toString();
        Map<String, String> engineEnv = Map.of("SMG_JAVA_OPTS", "-Xmx1g -XX:+UseParallelGC");
        List<ManagedProcess> engines = new ArrayList<>();
        List<String> engineUrls = new ArrayList<>();
        InProcessEngines inProcess = null;
        List<Result> results = new ArrayList<>();
        try {
            if (options.getOrDefault("engines", "in-process").equals("in-process")) {
                inProcess = InProcessEngines.start(dist, ENGINES, MODEL, Long.parseLong(kvTokens),
                        Double.parseDouble(prefillTps), Double.parseDouble(decodeMs), Integer.parseInt(maxRunning), work);
                engineUrls.addAll(inProcess.urls());
            } else {
                for (int i = 0; i < ENGINES; i++) {
                    int port = ManagedProcess.freePort();
                    ManagedProcess engine = ManagedProcess.start("engine-" + i, List.of(smg, "sim", "--port",
                            String.valueOf(port), "--model", MODEL, "--kv-tokens", kvTokens, "--prefill-tps", prefillTps,
                            "--decode-ms", decodeMs, "--max-running", maxRunning), engineEnv, work);
                    engines.add(engine);
                    engineUrls.add("http://127.0.0.1:" + port);
                }
                for (int i = 0; i < ENGINES; i++) {
                    engines.get(i).awaitHttp(http, engineUrls.get(i) + "/health", body -> true, Duration.ofSeconds(60));
                }
            }
            if (warmEngines) { // the engines' JVMs are cold too: one unrecorded pass warms them for every policy
                resetEngines(http, engineUrls);
                Result warm = runPolicy(policies.get(0), plan, concurrency, smg, work, pluginsDir, engineUrls, http);
                out.printf(Locale.ROOT, "(engine warm-up pass with %s, not recorded: hit rate %.1f%%)%n", warm.policy,
                        warm.hitRate * 100);
            }
            List<String> schedule = new ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                schedule.addAll(policies);
            }
            for (String policy : schedule) {
                resetEngines(http, engineUrls);
                Result result = runPolicy(policy, plan, concurrency, smg, work, pluginsDir, engineUrls, http);
                results.add(result);
                out.printf(Locale.ROOT, "%s: hit rate %.1f%%, uncached %.0f tokens/req, TTFT mean %.1f ms p50 %.1f ms p99 %.1f ms, %.1f req/s,"
                        + " spread %.2f %s, errors %d%n", policy, result.hitRate * 100, result.uncachedPerRequest, result.ttftMeanMs,
                        result.ttftP50Ms, result.ttftP99Ms, result.requestsPerSecond, result.loadSpread,
                        Arrays.toString(result.perEngine), result.errors);
            }
        } finally {
            for (ManagedProcess engine : engines) {
                engine.close();
            }
            if (inProcess != null) {
                inProcess.close();
            }
        }
        String table = table(results);
        out.println();
        out.println(table);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), table);
        }
    }

    private static Result runPolicy(String policy, WorkloadPlan plan, int concurrency, String smg, Path work,
                                    Path pluginsDir, List<String> engineUrls, HttpClient http) throws Exception {
        String name = policy.contains(":") ? policy.substring(0, policy.indexOf(':')) : policy;
        StringBuilder manifest = new StringBuilder("routing:\n  policy: ").append(name).append('\n');
        if (VARIANTS.containsKey(policy)) {
            manifest.append("  policies:\n    ").append(name).append(":\n      ").append(VARIANTS.get(policy)).append('\n');
        } else if (policy.contains(":")) {
            throw new IllegalArgumentException("unknown policy variant " + policy + "; known: " + VARIANTS.keySet());
        }
        manifest.append("health:\n  check_interval_secs: 1\n");
        Path config = work.resolve(policy.replace(':', '-') + ".yaml");
        Files.writeString(config, manifest);
        int port = ManagedProcess.freePort();
        List<String> command = new ArrayList<>(List.of(smg, "launch", "--config", config.toString(), "--host",
                "127.0.0.1", "--port", String.valueOf(port), "--plugins-dir", pluginsDir.toString(), "--policy", name,
                "--log-level", "warn", "--worker-urls"));
        command.addAll(engineUrls);
        String gatewayUrl = "http://127.0.0.1:" + port;
        try (ManagedProcess gateway = ManagedProcess.start("gateway-" + policy.replace(':', '-'), command, Map.of(), work)) {
            gateway.awaitHttp(http, gatewayUrl + "/readiness",
                    body -> body.contains("\"healthy_workers\":" + engineUrls.size()), Duration.ofSeconds(60));
            warmUp(new ChatClient(http, gatewayUrl, MODEL));
            resetEngines(http, engineUrls); // the warm-up leaves nothing behind on the engines
            return drive(policy, name.equals("consistent_hashing"), plan, concurrency, gatewayUrl, engineUrls, http);
        }
    }

    /**
     * Warms the fresh gateway JVM (class loading, JIT) with {@value #WARM_UP_REQUESTS} short, unrelated
     * prompts, so the measured run starts on a warm gateway for every policy alike.
     */
    private static void warmUp(ChatClient client) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int first = c;
                running.add(clients.submit(() -> {
                    for (int i = first; i < WARM_UP_REQUESTS; i += 8) {
                        client.send(List.of("user", "warm-up " + i + " " + Integer.toString(i * 7919, 36)), 4, null);
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
    }

    /** Runs every conversation of the plan through the gateway with {@code concurrency} clients. */
    private static Result drive(String policy, boolean sessionKeys, WorkloadPlan plan, int concurrency,
                                String gatewayUrl, List<String> engineUrls, HttpClient http) throws Exception {
        ChatClient client = new ChatClient(http, gatewayUrl, MODEL);
        ConcurrentLinkedQueue<WorkloadPlan.Conversation> queue = new ConcurrentLinkedQueue<>(plan.conversations());
        AtomicLong promptTokens = new AtomicLong();
        AtomicLong cachedTokens = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long[] ttfts = new long[plan.requests()];
        AtomicLong ttftCount = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    WorkloadPlan.Conversation conversation;
                    while ((conversation = queue.poll()) != null) {
                        List<String> messages = new ArrayList<>(List.of("system", plan.systemPrompts().get(conversation.group())));
                        for (String userMessage : conversation.userMessages()) {
                            messages.add("user");
                            messages.add(userMessage);
                            ChatClient.Answer answer = client.send(messages, plan.maxTokens(),
                                    sessionKeys ? conversation.sessionKey() : null);
                            if (answer.status() != 200 || answer.ttftNanos() < 0) {
                                errors.incrementAndGet();
                                break; // the conversation cannot continue without its answer
                            }
                            ttfts[(int) ttftCount.getAndIncrement()] = answer.ttftNanos();
                            promptTokens.addAndGet(answer.promptTokens());
                            cachedTokens.addAndGet(answer.cachedTokens());
                            messages.add("assistant");
                            messages.add(answer.text());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int completed = (int) ttftCount.get();
        long[] sorted = Arrays.copyOf(ttfts, completed);
        Arrays.sort(sorted);
        long[] perEngine = new long[engineUrls.size()];
        long total = 0;
        long max = 0;
        for (int i = 0; i < perEngine.length; i++) {
            String stats = get(http, engineUrls.get(i) + "/sim/stats");
            Matcher matcher = CHAT_REQUESTS.matcher(stats);
            perEngine[i] = matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
            total += perEngine[i];
            max = Math.max(max, perEngine[i]);
        }
        double mean = (double) total / perEngine.length;
        return new Result(policy, completed, (int) errors.get(),
                promptTokens.get() == 0 ? 0 : (double) cachedTokens.get() / promptTokens.get(),
                completed == 0 ? 0 : (double) (promptTokens.get() - cachedTokens.get()) / completed,
                completed == 0 ? 0 : Arrays.stream(sorted).average().orElse(0) / 1e6,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, completed / seconds,
                mean == 0 ? 0 : max / mean, perEngine);
    }

    private static String table(List<Result> results) {
        StringBuilder table = new StringBuilder();
        table.append("| policy | requests | errors | cache hit rate | uncached prompt tokens/req | TTFT mean ms |"
                + " TTFT p50 ms | TTFT p99 ms | throughput req/s | load spread (max/mean) | requests per engine |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f%% | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f | %s |%n",
                    label(r.policy), r.requests, r.errors, r.hitRate * 100, r.uncachedPerRequest, r.ttftMeanMs,
                    r.ttftP50Ms, r.ttftP99Ms,
                    r.requestsPerSecond, r.loadSpread, Arrays.toString(r.perEngine)));
        }
        return table.toString();
    }

    private static String label(String policy) {
        return switch (policy) {
            case "consistent_hashing" -> "consistent_hashing (session keys)";
            case "cache_aware:smg" -> "cache_aware, SMG baseline (Shepherd keys off)";
            case "cache_aware:smallest_tree" -> "cache_aware, miss_placement smallest_tree";
            case "cache_aware" -> "cache_aware (Shepherd defaults)";
            default -> policy;
        };
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void resetEngines(HttpClient http, List<String> engineUrls) throws IOException, InterruptedException {
        for (String url : engineUrls) {
            post(http, url + "/flush_cache");
            post(http, url + "/sim/reset");
        }
    }

    private static void post(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode());
        }
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
