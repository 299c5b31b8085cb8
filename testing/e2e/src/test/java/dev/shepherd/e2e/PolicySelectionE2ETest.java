package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every routing policy is selectable in the running distribution: per model through the manifest,
 * the default through {@code --policy}, and sticky keys through {@code routing_key_override}.
 */
class PolicySelectionE2ETest {

    private static final List<String> MODELS = List.of("m-default", "m-rr", "m-random", "m-p2", "m-least", "m-ch",
            "m-prefix", "m-bucket", "m-manual", "m-pass", "m-cache");

    @TempDir
    static Path dir;

    private static SimEngine first;
    private static SimEngine second;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws IOException {
        SimEngineConfig config = SimEngineConfig.defaults().withPort(0).withModels(MODELS.toArray(String[]::new));
        first = SimEngine.start(config);
        second = SimEngine.start(config);
        Path manifest = dir.resolve("policies.yaml");
        Files.writeString(manifest, """
                routing:
                  policy: round_robin
                  routing_key_override: true
                  models:
                    m-rr: {policy: round_robin}
                    m-random: {policy: random}
                    m-p2: {policy: power_of_two}
                    m-least: {policy: least_load}
                    m-ch: {policy: consistent_hashing}
                    m-prefix: {policy: prefix_hash}
                    m-bucket: {policy: bucket}
                    m-manual: {policy: manual}
                    m-pass: {policy: passthrough}
                    m-cache: {policy: cache_aware}
                  policies:
                    prefix_hash: {prefix_token_count: 64}
                health:
                  check_interval_secs: 1
                """);
        gateway = GatewayProcess.launch(Duration.ofSeconds(60), "--config", manifest.toString(),
                "--plugins-dir", GatewayProcess.serverHome().resolve("plugins").toString(),
                "--worker-urls", first.url(), second.url(), "--policy", "power_of_two");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("healthy_workers").asInt() == 2);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        first.close();
        second.close();
    }

    private static HttpResponse<String> chat(String model, String prompt, String... headers) {
        return Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                "{\"model\":\"" + model + "\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}",
                headers);
    }

    /** How many of {@code n} requests each engine got. */
    private static long[] spread(int n, String model, String... headers) {
        long a = first.stats().inferenceRequests();
        long b = second.stats().inferenceRequests();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = chat(model, "prompt number " + i, headers);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        return new long[] {first.stats().inferenceRequests() - a, second.stats().inferenceRequests() - b};
    }

    @ParameterizedTest
    @ValueSource(strings = {"m-default", "m-random", "m-p2", "m-least", "m-prefix", "m-bucket", "m-cache"})
    void everyPolicyServesItsModel(String model) {
        long[] counts = spread(4, model);
        assertThat(counts[0] + counts[1]).isEqualTo(4);
    }

    @Test
    void roundRobinAlternatesBetweenTheWorkers() {
        assertThat(spread(6, "m-rr")).containsExactly(3, 3);
    }

    @Test
    void passthroughSendsEverythingToOneWorker() {
        long[] counts = spread(5, "m-pass");
        assertThat(counts).containsAnyOf(0L, 5L).contains(5L);
    }

    @Test
    void consistentHashingKeepsAKeyOnOneWorker() {
        long[] counts = spread(5, "m-ch", "X-SMG-Routing-Key", "session-7");
        assertThat(counts).contains(5L);
    }

    @Test
    void manualPolicySticksToTheKeysWorker() {
        long[] counts = spread(5, "m-manual", "X-SMG-Routing-Key", "tenant-a");
        assertThat(counts).contains(5L);
    }

    @Test
    void theRoutingKeyOverrideMakesRoundRobinSticky() {
        long[] counts = spread(6, "m-rr", "X-SMG-Routing-Key", "sticky-user");
        assertThat(counts).contains(6L);
    }

    @Test
    void anUnknownPolicyIsRefusedAtStartUp() {
        GatewayProcess.Exited refused = GatewayProcess.run(Duration.ofSeconds(60), "launch", "--port", "0",
                "--policy", "fastest_please");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.output()).contains("no routing policy named 'fastest_please'").contains("round_robin");
    }
}
