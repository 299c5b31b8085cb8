package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuation of a broken stream is an attempt like any other: when the worker it lands on answers
 * a retryable status (here 502), nothing of that answer has reached the client, so the continuation is
 * tried on another worker — the client still gets one complete stream with the text of one
 * uninterrupted generation, not an error event.
 */
class AResumedStreamSkipsAWorkerThatAnswersWithAnErrorE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;
    private static final int MAX_TOKENS = 12;

    @TempDir
    Path dir;

    @Test
    void theContinuationIsRetriedOnAThirdWorker() {
        try (SimEngine cutting = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             SimEngine storming = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             SimEngine healthy = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             SimEngine reference = SimEngine.start(SimEngineConfig.defaults().withPort(0).withoutDelays());
             FaultGateway gateway = FaultGateway.launch("resume-retried", dir, "routing: {policy: random}\n",
                     List.of(cutting, storming, healthy), "--health-check-interval-secs", "1",
                     "--retry-initial-backoff-ms", "10", "--cb-failure-threshold", "1000")) {
            cutting.faults().dieMidStreamAfterTokens(4);
            storming.faults().errorRate(1.0).errorStatus(502);

            // Random routing: a stream begins on the cutting worker and its continuation is sent to the
            // storming one in one request of six; stop as soon as that has happened.
            List<ClientOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 60 && !continuationMetTheError(storming); i++) {
                outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "resume past an error " + i, MAX_TOKENS, true));
            }

            assertThat(continuationMetTheError(storming)).as("a continuation met the storming worker").isTrue();
            Clients.assertAllSucceeded(outcomes);
            for (int i = 0; i < outcomes.size(); i++) {
                ClientOutcome direct = Clients.chat(reference.url(), MODEL, "resume past an error " + i, MAX_TOKENS, true);
                assertThat(outcomes.get(i).text()).as("stream %d", i).isEqualTo(direct.text());
            }
        }
    }

    private static boolean continuationMetTheError(SimEngine storming) {
        return storming.stats().recentRequests().stream().anyMatch(r -> r.bodyText().contains("continue_final_message"));
    }
}
