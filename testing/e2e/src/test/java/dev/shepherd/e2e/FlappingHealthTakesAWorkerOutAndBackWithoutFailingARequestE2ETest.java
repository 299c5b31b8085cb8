package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose health checks fail and recover, twice, under steady load: it leaves routing when its
 * probes fail, rejoins when they pass, and no client request fails meanwhile.
 */
class FlappingHealthTakesAWorkerOutAndBackWithoutFailingARequestE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;

    @TempDir
    Path dir;

    @Test
    void theWorkerLeavesAndRejoinsRoutingAndNoRequestFails() {
        try (SimEngine flapping = SimEngine.start(SimEngineConfig.defaults().withPort(0).withDecodeMs(5));
             SimEngine steady = SimEngine.start(SimEngineConfig.defaults().withPort(0).withDecodeMs(5));
             FaultGateway gateway = FaultGateway.launch("flapping", dir, "routing: {policy: round_robin}\n",
                     List.of(flapping, steady), "--health-check-interval-secs", "1",
                     "--health-failure-threshold", "1", "--health-success-threshold", "1",
                     "--retry-initial-backoff-ms", "10")) {
            AtomicBoolean loading = new AtomicBoolean(true);
            List<ClientOutcome> outcomes = new CopyOnWriteArrayList<>();
            List<CompletableFuture<ClientOutcome>> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int client = c;
                clients.add(Clients.async(() -> {
                    for (int i = 0; loading.get(); i++) {
                        outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "flap " + client + " " + i, 4, i % 3 == 0));
                    }
                    return null;
                }));
            }
            try {
                for (int cycle = 0; cycle < 2; cycle++) {
                    flapping.faults().unhealthy(true);
                    await().atMost(FaultGateway.STATE_CHANGE).until(() -> gateway.status(flapping).equals("not_ready"));
                    // Requests routed before the change finish first; after them, none reaches the worker.
                    awaitMoreAnswers(outcomes, 10);
                    long whileOut = flapping.stats().inferenceRequests();
                    awaitMoreAnswers(outcomes, 20);
                    assertThat(flapping.stats().inferenceRequests()).as("requests to a worker out of routing")
                            .isEqualTo(whileOut);

                    flapping.faults().unhealthy(false);
                    await().atMost(FaultGateway.STATE_CHANGE).until(() -> gateway.status(flapping).equals("ready"));
                    await().atMost(FaultGateway.STATE_CHANGE).until(() -> flapping.stats().inferenceRequests() > whileOut);
                }
            } finally {
                loading.set(false);
                clients.forEach(Clients::outcome);
            }

            assertThat(outcomes).hasSizeGreaterThanOrEqualTo(60);
            Clients.assertAllSucceeded(outcomes);
        }
    }

    private static void awaitMoreAnswers(List<ClientOutcome> outcomes, int more) {
        int target = outcomes.size() + more;
        await().atMost(FaultGateway.STATE_CHANGE).until(() -> outcomes.size() >= target);
    }
}
