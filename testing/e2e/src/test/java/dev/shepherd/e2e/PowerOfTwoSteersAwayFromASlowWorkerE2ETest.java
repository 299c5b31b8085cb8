package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.sim.FaultSettings;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code power_of_two} compares the two workers' in-flight requests: under concurrent load a slow
 * worker keeps its requests longer, so the fast one wins most choices. (Random routing would split
 * the requests evenly.)
 */
class PowerOfTwoSteersAwayFromASlowWorkerE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;
    private static final int CLIENTS = 4;
    private static final int REQUESTS = 80;

    @TempDir
    Path dir;

    @Test
    void mostRequestsGoToTheFastWorker() {
        try (SimEngine slow = SimEngine.start(SimEngineConfig.defaults().withPort(0)
                     .withFaults(FaultSettings.NONE.withSlowMs(1000)));
             SimEngine fast = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             FaultGateway gateway = FaultGateway.launch("power-of-two", dir, "routing: {policy: power_of_two}\n",
                     List.of(slow, fast), "--health-check-interval-secs", "1")) {
            // A few clients share one pool of requests, each sending its next one when the last is answered.
            AtomicInteger next = new AtomicInteger();
            List<ClientOutcome> outcomes = new CopyOnWriteArrayList<>();
            Clients.concurrently(CLIENTS, client -> {
                for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                    outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "steer " + i, 2, i % 4 == 0));
                }
                return null;
            });

            assertThat(outcomes).hasSize(REQUESTS);
            Clients.assertAllSucceeded(outcomes);
            long toSlow = slow.stats().inferenceRequests();
            long toFast = fast.stats().inferenceRequests();
            assertThat(toSlow + toFast).isEqualTo(REQUESTS);
            assertThat(toFast).as("requests to the fast worker (slow got %d)", toSlow).isGreaterThan(3 * toSlow);
        }
    }
}
