package dev.shepherd.e2e;

import static dev.shepherd.e2e.MeshCluster.CONVERGE;
import static dev.shepherd.e2e.MeshCluster.healthyWorkers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: "a tenant limit holds across nodes". Three nodes share one request budget and one budget
 * per tenant through the replicated store; requests are sent as fast as possible through a and c
 * at once, and the total admitted must stay near one budget, not one budget per node.
 *
 * <p>Bounds are counted in the limiter's one-second wall-clock windows (the gateways run on this
 * machine's clock), so a slow machine sends fewer requests but the bound stays the same. Two
 * tolerances apply, both from {@code ClusterRateLimit}'s design: in the first window nobody has a
 * previous pace to go by, so until gossip (about 200 ms) carries the first counts, each of the two
 * busy nodes may spend the whole budget; later windows are estimated from the last one's pace,
 * which can be off by about a request per window while gossip is in flight.
 */
class MeshClusterRateLimitE2ETest {

    private static final int CLUSTER_RATE = 10;
    private static final int TENANT_RATE = 4;
    /** Long enough that the cold first window is a small part of the run. */
    private static final Duration LOAD = Duration.ofSeconds(5);

    private static SimEngine engine;
    private static MeshCluster cluster;

    @BeforeAll
    static void start() {
        // No simulated token delays: admitted requests return at once, so each node is offered many
        // times its budget even on a slow machine.
        engine = SimEngine.start(SimEngineConfig.defaults().withoutDelays().withPort(0));
        cluster = MeshCluster.start("""
                routing: {policy: round_robin}
                health: {check_interval_secs: 1}
                admission: {trust_tenant_header: true}
                mesh: {cluster_rate_limit_per_second: %d, cluster_tenant_rate_limit_per_second: %d}
                """.formatted(CLUSTER_RATE, TENANT_RATE));
        HttpResponse<String> added = Http.post(cluster.a.baseUrl() + "/workers", "application/json",
                "{\"url\": \"" + engine.url() + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        await().atMost(CONVERGE).until(() -> healthyWorkers(cluster.a) == 1 && healthyWorkers(cluster.c) == 1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void oneTenantSendingThroughTwoNodesGetsOneTenantBudget() throws Exception {
        // Far under the cluster rate, so only the tenant's own budget can turn requests away.
        Load load = Load.run(List.of(cluster.a, cluster.c), i -> "acme");

        load.assertWithin(TENANT_RATE);
        load.assertRejectionsAreOpenAiShaped429s();
    }

    @Test
    void manyTenantsThroughTwoNodesShareTheClusterBudget() throws Exception {
        // 40 tenants in turn: each sends far less than its own budget, so the cluster budget binds.
        Load load = Load.run(List.of(cluster.a, cluster.c), i -> "tenant-" + (i % 40));

        load.assertWithin(CLUSTER_RATE);
        load.assertRejectionsAreOpenAiShaped429s();
    }

    /** Requests sent back to back to each node at once for {@link #LOAD}, and their outcomes. */
    private record Load(List<HttpResponse<String>> responses, long startMillis, long endMillis) {

        static Load run(List<GatewayProcess> nodes, IntFunction<String> tenantOf) throws Exception {
            List<HttpResponse<String>> responses = Collections.synchronizedList(new ArrayList<>());
            long start = System.currentTimeMillis();
            long deadline = System.nanoTime() + LOAD.toNanos();
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (GatewayProcess node : nodes) {
                    running.add(senders.submit(() -> {
                        for (int i = 0; System.nanoTime() < deadline; i++) {
                            responses.add(Http.post(node.baseUrl() + "/v1/chat/completions", "application/json",
                                    ChatThroughGatewayE2ETest.chatBody("budget"), "x-smg-tenant-id", tenantOf.apply(i)));
                        }
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
            return new Load(List.copyOf(responses), start, System.currentTimeMillis());
        }

        long admitted() {
            return responses.stream().filter(r -> r.statusCode() != 429).count();
        }

        /** The one-second windows the load touched. */
        long windows() {
            return endMillis / 1000 - startMillis / 1000 + 1;
        }

        void assertWithin(int perSecond) {
            long windows = windows();
            long budget = perSecond * windows;
            long coldStart = perSecond; // the second busy node's full budget in the first window
            long gossipLag = windows; // about one request per window
            long independent = 2 * budget; // what two nodes limiting on their own would admit
            String numbers = "admitted " + admitted() + " of " + responses.size() + " in " + windows
                    + " windows at " + perSecond + "/s";
            System.out.println(numbers);
            // Each node was offered far more than the budget: otherwise the bounds prove nothing.
            assertThat((long) responses.size()).as(numbers).isGreaterThan(independent);
            assertThat(admitted()).as(numbers).isLessThanOrEqualTo(budget + coldStart + gossipLag)
                    .isLessThan(independent);
            // And the budget is not starved either: at least the steady windows' share went through.
            assertThat(admitted()).as(numbers).isGreaterThanOrEqualTo(perSecond * (windows - 2));
            assertThat(responses).as(numbers).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 429,
                    "200 or 429");
        }

        void assertRejectionsAreOpenAiShaped429s() {
            List<HttpResponse<String>> rejected = responses.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(rejected).isNotEmpty();
            for (HttpResponse<String> r : rejected.subList(0, Math.min(20, rejected.size()))) {
                assertThat(r.headers().firstValue("Retry-After")).as(r.body()).get()
                        .satisfies(v -> assertThat(Integer.parseInt(v)).isPositive());
                JsonNode error = Http.json(r).path("error");
                assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
                assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
                assertThat(error.path("message").asText()).isNotBlank();
            }
        }
    }
}
