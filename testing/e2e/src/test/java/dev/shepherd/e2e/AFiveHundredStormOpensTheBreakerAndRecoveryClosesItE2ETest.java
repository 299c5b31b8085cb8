package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker answering every request with 500: clients still succeed (each failed attempt is retried
 * on the other worker), its circuit opens and it stops receiving traffic; once it recovers and the
 * breaker's timeout has passed, half-open trial requests succeed and close the circuit again.
 */
class AFiveHundredStormOpensTheBreakerAndRecoveryClosesItE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;

    @TempDir
    Path dir;

    @Test
    void requestsSucceedThroughTheStormTheBreakerOpensAndHalfOpenTrialsCloseIt() {
        try (SimEngine storming = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             SimEngine healthy = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             FaultGateway gateway = FaultGateway.launch("breaker", dir, "resilience: {first_byte_timeout_secs: 5}\n",
                     List.of(storming, healthy), "--policy", "round_robin", "--health-check-interval-secs", "1",
                     "--retry-initial-backoff-ms", "10", "--cb-failure-threshold", "3", "--cb-success-threshold", "2",
                     "--cb-timeout-duration-secs", "2")) {
            List<ClientOutcome> outcomes = new CopyOnWriteArrayList<>();
            storming.faults().errorRate(1.0).errorStatus(500);

            // Each poll is one more client request; the circuit opens after three failed attempts.
            await().atMost(FaultGateway.STATE_CHANGE).untilAsserted(() -> {
                outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "storm " + outcomes.size(), 4, outcomes.size() % 2 == 0));
                assertThat(gateway.circuit(storming)).as("circuit after %d failed attempts on the storming worker: %s",
                        storming.stats().inferenceRequests(), gateway.worker(storming)).isEqualTo("open");
            });
            assertThat(storming.stats().inferenceRequests()).as("attempts the storming worker failed").isGreaterThanOrEqualTo(3);
            assertThat(gateway.worker(storming).path("is_healthy").asBoolean()).isFalse();

            long stormAttempts = storming.stats().inferenceRequests();
            for (int i = 0; i < 4; i++) {
                outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "while open " + i, 4, false));
            }
            if (gateway.circuit(storming).equals("open")) {
                // Still open after those requests (the 2 s timeout has not run out): none went to it.
                assertThat(storming.stats().inferenceRequests()).isEqualTo(stormAttempts);
            }

            storming.faults().reset();
            await().atMost(FaultGateway.STATE_CHANGE).untilAsserted(() -> {
                outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "recovered " + outcomes.size(), 4, false));
                assertThat(gateway.circuit(storming)).as("circuit after recovery: %s", gateway.worker(storming))
                        .isEqualTo("closed");
            });
            assertThat(storming.stats().inferenceRequests()).as("half-open trials reached the recovered worker")
                    .isGreaterThanOrEqualTo(stormAttempts + 2);
            assertThat(gateway.output()).contains("circuit closed -> open").contains("circuit open -> half_open")
                    .contains("circuit half_open -> closed");

            Clients.assertAllSucceeded(outcomes);
        }
    }
}
