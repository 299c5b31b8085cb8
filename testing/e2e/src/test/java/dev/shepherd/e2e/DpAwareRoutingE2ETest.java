package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.sim.RecordedRequest;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMG's {@code --dp-aware}: an engine reporting {@code dp_size} 4 becomes four logical workers
 * {@code url@rank}, and round robin over them reaches the engine once with each
 * {@code data_parallel_rank}.
 */
class DpAwareRoutingE2ETest {

    private static final int DP_SIZE = 4;

    private static SimEngine engine;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() {
        engine = SimEngine.start(SimEngineConfig.defaults().withPort(0).withDpSize(DP_SIZE)
                .toBuilder().recentRequests(64).build());
        gateway = GatewayProcess.launch(Duration.ofSeconds(60),
                "--plugins-dir", GatewayProcess.serverHome().resolve("plugins").toString(),
                "--worker-urls", engine.url(), "--policy", "round_robin", "--dp-aware",
                "--health-check-interval-secs", "1");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("healthy_workers").asInt() == DP_SIZE);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the " + DP_SIZE + " ranks never all became healthy; gateway log:\n" + gateway.output(), e);
        }
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        engine.close();
    }

    @Test
    void theEngineIsListedOncePerRankAndEveryRankIsRoutedTo() throws IOException {
        JsonNode workers = Http.json(Http.get(gateway.baseUrl() + "/workers")).path("workers");
        assertThat(workers).extracting(w -> w.path("url").asText()).containsExactly(
                engine.url() + "@0", engine.url() + "@1", engine.url() + "@2", engine.url() + "@3");
        assertThat(workers).allSatisfy(w -> assertThat(w.path("dp_base_url").asText()).isEqualTo(engine.url()));

        long before = engine.stats().inferenceRequests();
        for (int i = 0; i < 2 * DP_SIZE; i++) {
            HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                    "{\"model\":\"sim-model\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi " + i + "\"}]}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        List<RecordedRequest> sent = engine.stats().recentRequests();
        List<Integer> ranks = new ArrayList<>();
        for (RecordedRequest request : sent.subList(sent.size() - 2 * DP_SIZE, sent.size())) {
            ranks.add(Http.JSON.readTree(request.bodyText()).path("data_parallel_rank").asInt(-1));
        }
        assertThat(engine.stats().inferenceRequests() - before).isEqualTo(2 * DP_SIZE);
        assertThat(ranks).as("round robin over the four ranks, each named in the body")
                .containsExactlyInAnyOrder(0, 0, 1, 1, 2, 2, 3, 3);
    }

    @Test
    void removingTheBaseUrlRemovesEveryRank() throws IOException {
        // Registered again under a second URL alias of the same engine so the routing test keeps its ranks.
        String alias = engine.url() + "/w/alias";
        HttpResponse<String> added = Http.post(gateway.baseUrl() + "/workers", "application/json",
                "{\"url\":\"" + alias + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> ranksAt(alias) == DP_SIZE);

        HttpResponse<String> removed = Http.delete(gateway.baseUrl() + "/workers?url="
                + URLEncoder.encode(alias, StandardCharsets.UTF_8));

        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(202);
        assertThat(Http.json(removed).path("worker_ids")).hasSize(DP_SIZE);
        await().atMost(Duration.ofSeconds(30)).until(() -> ranksAt(alias) == 0);
        assertThat(ranksAt(engine.url())).isEqualTo(DP_SIZE);
    }

    private static long ranksAt(String baseUrl) throws IOException {
        JsonNode workers = Http.json(Http.get(gateway.baseUrl() + "/workers")).path("workers");
        return StreamSupport.stream(workers.spliterator(), false)
                .filter(w -> w.path("dp_base_url").asText().equals(baseUrl)).count();
    }
}
