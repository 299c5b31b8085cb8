package dev.shepherd.bench.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The soak run's settings, from {@code key=value} arguments (soak.sh passes its environment through).
 *
 * @param serverHome the assembled server, whose {@code bin/smg} runs the gateway and the engines
 * @param work directory for logs and the report
 * @param basePort first of seven loopback ports: four engines, the gateway, the reference engine, the metrics listener
 * @param clients closed-loop clients
 * @param warmup fault-free load before measuring (JIT warm-up of every JVM), not counted
 * @param chaosDuration load with the chaos loop running
 * @param cleanDuration the same load without faults
 * @param streamShare fraction of requests that stream
 * @param minTokens smallest {@code max_tokens}
 * @param maxTokens largest {@code max_tokens}
 * @param decodeMs the engines' decode step
 * @param clientTimeout a request without a complete answer by then is hung
 * @param maxFaulty engines under a fault at once
 * @param chaosPauseMinMs shortest pause between two faults
 * @param chaosPauseMaxMs longest pause between two faults
 * @param faultMinMs shortest life of a fault (downtime of a killed engine)
 * @param faultMaxMs longest life of a fault
 * @param gatewayArgs extra {@code smg launch} flags
 * @param seed random seed of the load and the chaos
 */
record SoakSettings(Path serverHome, Path work, int basePort, int clients, Duration warmup, Duration chaosDuration,
                    Duration cleanDuration, double streamShare, int minTokens, int maxTokens, double decodeMs,
                    Duration clientTimeout, int maxFaulty, long chaosPauseMinMs, long chaosPauseMaxMs, long faultMinMs,
                    long faultMaxMs, List<String> gatewayArgs, long seed) {

    static SoakSettings parse(String[] args) {
        Map<String, String> kv = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got " + arg);
            }
            kv.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String home = kv.remove("serverHome");
        String work = kv.remove("work");
        if (home == null || work == null) {
            throw new IllegalArgumentException("serverHome=... and work=... are required");
        }
        String extra = kv.getOrDefault("gatewayArgs", "").trim();
        SoakSettings s = new SoakSettings(Path.of(home), Path.of(work),
                intOf(kv, "basePort", 18700), intOf(kv, "clients", 16),
                Duration.ofSeconds(intOf(kv, "warmupSecs", 10)), Duration.ofSeconds(intOf(kv, "chaosSecs", 75)),
                Duration.ofSeconds(intOf(kv, "cleanSecs", 45)), Double.parseDouble(kv.getOrDefault("streamShare", "0.5")),
                intOf(kv, "minTokens", 8), intOf(kv, "maxTokens", 32), Double.parseDouble(kv.getOrDefault("decodeMs", "2")),
                Duration.ofSeconds(intOf(kv, "clientTimeoutSecs", 30)), intOf(kv, "maxFaulty", 2),
                intOf(kv, "chaosPauseMinMs", 500), intOf(kv, "chaosPauseMaxMs", 2500),
                intOf(kv, "faultMinMs", 2000), intOf(kv, "faultMaxMs", 6000),
                extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")),
                Long.parseLong(kv.getOrDefault("seed", Long.toString(System.nanoTime() % 1_000_000))));
        kv.keySet().removeAll(List.of("basePort", "clients", "warmupSecs", "chaosSecs", "cleanSecs", "streamShare",
                "minTokens", "maxTokens", "decodeMs", "clientTimeoutSecs", "maxFaulty", "chaosPauseMinMs",
                "chaosPauseMaxMs", "faultMinMs", "faultMaxMs", "gatewayArgs", "seed"));
        if (!kv.isEmpty()) {
            throw new IllegalArgumentException("unknown settings: " + kv.keySet());
        }
        if (s.minTokens < 1 || s.maxTokens < s.minTokens || s.clients < 1 || s.maxFaulty < 0 || s.maxFaulty > 3) {
            throw new IllegalArgumentException("need 1 <= minTokens <= maxTokens, clients >= 1, 0 <= maxFaulty <= 3");
        }
        return s;
    }

    private static int intOf(Map<String, String> kv, String key, int otherwise) {
        return Integer.parseInt(kv.getOrDefault(key, Integer.toString(otherwise)));
    }
}
