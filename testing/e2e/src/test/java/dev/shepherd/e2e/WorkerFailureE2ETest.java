package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A worker that dies mid-run: no request is lost, and it stops receiving traffic once marked unhealthy. */
class WorkerFailureE2ETest {

    private SimEngine survivor;
    private SimEngine victim;
    private GatewayProcess gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (survivor != null) {
            survivor.close();
        }
        if (victim != null) {
            victim.close();
        }
    }

    @Test
    void aKilledWorkerStopsReceivingRequestsAndNoRequestFails() {
        survivor = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        victim = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        gateway = GatewayProcess.launch(Duration.ofSeconds(60), "--worker-urls", survivor.url(), victim.url(),
                "--policy", "round_robin", "--health-check-interval-secs", "1", "--health-failure-threshold", "1");
        await().atMost(Duration.ofSeconds(20)).until(() -> healthyWorkers() == 2);
        for (int i = 0; i < 6; i++) {
            assertThat(chat().statusCode()).isEqualTo(200);
        }
        assertThat(victim.stats().inferenceRequests()).isPositive();

        victim.close();
        // Requests sent before the health checker notices are retried on the survivor.
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = chat();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> healthyWorkers() == 1);

        long survivorBefore = survivor.stats().inferenceRequests();
        for (int i = 0; i < 10; i++) {
            assertThat(chat().statusCode()).isEqualTo(200);
        }
        assertThat(survivor.stats().inferenceRequests() - survivorBefore).isEqualTo(10);
        JsonNode workers = Http.json(Http.get(gateway.baseUrl() + "/workers")).path("workers");
        assertThat(workers.findValuesAsText("status")).containsExactlyInAnyOrder("ready", "not_ready");
    }

    private HttpResponse<String> chat() {
        return Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                ChatThroughGatewayE2ETest.chatBody("are you there"));
    }

    private int healthyWorkers() {
        return Http.json(Http.get(gateway.baseUrl() + "/readiness")).path("healthy_workers").asInt();
    }
}
