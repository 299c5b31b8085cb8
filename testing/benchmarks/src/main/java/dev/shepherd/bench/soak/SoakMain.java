package dev.shepherd.bench.soak;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak benchmark (run by {@code testing/benchmarks/soak.sh}): four simulated engines (in this JVM,
 * so they can be killed and restarted on their ports at once) behind the assembled gateway (its own
 * process, {@code bin/smg launch}), steady closed-loop chat load (streamed and not), first with a chaos loop that
 * kills, crashes mid-stream, hangs, slows and 5xx-storms the engines, then the same load fault-free.
 * Every request ends as succeeded, failed with an explicit error, lost or hung (see {@link Outcome});
 * successful answers are compared with an uninterrupted generation from a separate reference engine
 * (all resumed streams and a sample of the rest). Writes {@code report.md} into the work directory.
 * Exit status: 0 when nothing was lost, hung or garbled; 1 otherwise; 2 on a setup failure.
 */
public final class SoakMain {

    private static final int ENGINES = 4;

    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        SoakSettings settings;
        try {
            settings = SoakSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new SoakMain().run(settings));
    }

    private int run(SoakSettings s) throws IOException {
        long runStart = System.nanoTime();
        Files.createDirectories(s.work());
        Path smg = s.serverHome().resolve("bin/smg");
        List<InProcessSim> sims = new ArrayList<>();
        for (int i = 0; i < ENGINES; i++) {
            sims.add(new InProcessSim(s.basePort() + i, s.decodeMs()));
        }
        InProcessSim reference = new InProcessSim(s.basePort() + ENGINES + 1, -1);
        int gatewayPort = s.basePort() + ENGINES;
        String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        Process gateway = null;
        try {
            sims.forEach(InProcessSim::start);
            reference.start();
            gateway = startGateway(s, smg, sims, gatewayPort);
            Process g = gateway;
            if (!Processes.await(Duration.ofSeconds(180), () -> g.isAlive() && readyWorkers(gatewayUrl) == ENGINES)) {
                return setupFailure("the gateway did not get " + ENGINES + " ready workers; see " + s.work().resolve("gateway.log"));
            }
            String loadBefore = loadAverage();
            long startupSecs = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - runStart);
            Load load = new Load(gatewayUrl, s);

            log("warm-up: %d s fault-free, not counted", s.warmup().toSeconds());
            load.run(new PhaseStats("warmup"), s.warmup(), s.seed() + 7);

            log("chaos: %d s with %d clients while engines are killed, crashed, hung, slowed and stormed",
                    s.chaosDuration().toSeconds(), s.clients());
            Chaos chaos = new Chaos(sims, () -> (int) availableWorkers(gatewayUrl), s, s.seed(),
                    s.work().resolve("chaos-events.log"));
            PhaseStats chaotic = new PhaseStats("chaos");
            chaos.start();
            load.run(chaotic, s.chaosDuration(), s.seed() + 1);
            chaos.stopAndRecover();
            log("chaos done: %s; recovering the fleet", chaos.applied());
            if (!Processes.await(Duration.ofSeconds(90), () -> sims.stream().allMatch(InProcessSim::serving)
                    && availableWorkers(gatewayUrl) == ENGINES)) {
                return setupFailure("the fleet did not recover after the chaos phase; see " + s.work());
            }

            log("fault-free: %d s with %d clients", s.cleanDuration().toSeconds(), s.clients());
            PhaseStats clean = new PhaseStats("clean");
            load.run(clean, s.cleanDuration(), s.seed() + 2);
            String loadAfter = loadAverage();

            log("checking answers against the reference engine");
            long[] chaosCheck = verify(chaotic, reference.url());
            long[] cleanCheck = verify(clean, reference.url());

            String gatewayLog = Files.readString(s.work().resolve("gateway.log"));
            HttpResponse<String> scraped = Processes.call("GET", "http://127.0.0.1:" + metricsPort(s) + "/metrics", null);
            String metrics = scraped == null ? "" : scraped.body();
            Files.writeString(s.work().resolve("metrics.txt"), metrics);
            Report.GatewaySide gatewaySide = new Report.GatewaySide(
                    count(gatewayLog, "resuming the stream on another worker"), metric(metrics, "smg_router_stream_resumptions_total"),
                    metric(metrics, "smg_worker_retries_total"), metric(metrics, "smg_worker_retries_exhausted_total"),
                    count(gatewayLog, "circuit closed -> open"), count(gatewayLog, " is now not_ready"), !metrics.isEmpty());
            String report = Report.render(s, chaotic, clean, chaos.applied(), chaosCheck, cleanCheck, gatewaySide,
                    loadBefore, loadAfter);
            report += String.format("%nThe run took %d s, %d s of them starting the engines and the gateway.%n",
                    java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - runStart), startupSecs);
            Files.writeString(s.work().resolve("report.md"), report);
            System.out.println(report);
            for (PhaseStats phase : List.of(chaotic, clean)) {
                for (String problem : phase.problems()) {
                    System.out.println(phase.name + ": " + problem);
                }
            }
            boolean clear = chaotic.lost.sum() + chaotic.hung.sum() + clean.lost.sum() + clean.hung.sum() == 0
                    && chaosCheck[1] == 0 && cleanCheck[1] == 0;
            return clear ? 0 : 1;
        } finally {
            Processes.stop(gateway);
            sims.forEach(InProcessSim::stop);
            reference.stop();
        }
    }

    private static Process startGateway(SoakSettings s, Path smg, List<InProcessSim> sims, int port) throws IOException {
        Path manifest = s.work().resolve("soak.yaml");
        Files.writeString(manifest, """
                # Written by the soak benchmark: the keys that have no flag.
                resilience:
                  first_byte_timeout_secs: 2
                  stream_idle_timeout_secs: 2
                """);
        List<String> command = new ArrayList<>(List.of(smg.toString(), "launch", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--config", manifest.toString(), "--worker-urls"));
        sims.forEach(sim -> command.add(sim.url()));
        command.addAll(List.of("--policy", "power_of_two", "--health-check-interval-secs", "1",
                "--cb-timeout-duration-secs", "5", "--prometheus-host", "127.0.0.1",
                "--prometheus-port", Integer.toString(metricsPort(s))));
        command.addAll(s.gatewayArgs());
        Files.writeString(s.work().resolve("gateway-command.txt"), String.join(" ", command) + "\n");
        return Processes.spawn(command, Map.of(), s.work().resolve("gateway.log"));
    }

    private static int metricsPort(SoakSettings s) {
        return s.basePort() + ENGINES + 2;
    }

    /** The sum of every sample of a counter (all label sets), from the gateway's Prometheus text. */
    static long metric(String metricsText, String name) {
        double sum = 0;
        for (String line : metricsText.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String[] parts = line.trim().split("\\s+");
                try {
                    sum += Double.parseDouble(parts[parts.length - 1]);
                } catch (NumberFormatException e) {
                    // not a sample line
                }
            }
        }
        return Math.round(sum);
    }

    /** Compares kept answers with the reference engine's uninterrupted generation: {checked, mismatched}. */
    private static long[] verify(PhaseStats phase, String referenceUrl) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong checked = new AtomicLong();
        AtomicLong mismatched = new AtomicLong();
        List<String> examples = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (PhaseStats.Answer answer : phase.answers()) {
                threads.submit(() -> {
                    Outcome expected = Load.send(http, referenceUrl + "/v1/chat/completions",
                            Load.chatBody(answer.prompt(), answer.maxTokens(), false), false, Duration.ofSeconds(30));
                    checked.incrementAndGet();
                    if (!expected.kind().equals(Outcome.Kind.OK) || !expected.text().equals(answer.text())) {
                        mismatched.incrementAndGet();
                        synchronized (examples) {
                            if (examples.size() < 5) {
                                examples.add((answer.resumed() ? "resumed " : "") + (answer.stream() ? "stream" : "json")
                                        + " '" + answer.prompt() + "': got [" + answer.text() + "] expected ["
                                        + expected.text() + "] " + expected.detail());
                            }
                        }
                    }
                });
            }
        }
        examples.forEach(e -> System.out.println(phase.name + ": text mismatch: " + e));
        return new long[] {checked.get(), mismatched.get(), phase.answers().stream().filter(PhaseStats.Answer::resumed).count()};
    }

    private static long readyWorkers(String gatewayUrl) {
        HttpResponse<String> r = Processes.call("GET", gatewayUrl + "/readiness", null);
        if (r == null || r.statusCode() != 200) {
            return -1;
        }
        return Math.round((Double) Json.at(Json.parse(r.body()), "healthy_workers"));
    }

    /**
     * Workers that are ready and routable: circuit closed, or half-open (a half-open circuit closes only
     * after trial requests, which an idle gateway does not get).
     */
    private static long availableWorkers(String gatewayUrl) {
        HttpResponse<String> r = Processes.call("GET", gatewayUrl + "/workers", null);
        if (r == null || r.statusCode() != 200) {
            return -1;
        }
        Object workers = Json.at(Json.parse(r.body()), "workers");
        if (!(workers instanceof List<?> list)) {
            return -1;
        }
        return list.stream().filter(w -> "ready".equals(Json.string(w, "status"))
                && !"open".equals(Json.string(w, "circuit_state"))).count();
    }

    private static long count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static int setupFailure(String why) {
        System.err.println("soak: " + why);
        return 2;
    }

    static void log(String format, Object... args) {
        System.err.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
