package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker can die anywhere in an answer, not only between stream events as the simulated engine
 * does. Whatever the client has read stays well-formed:
 * <ul>
 *   <li>a stream cut in the middle of an event resumes after the last complete event — never half an
 *       event glued to the next one;</li>
 *   <li>a non-streaming answer cut mid-body cannot be completed: its connection is closed (the client
 *       sees a connection error), it is not retried (the head already reached the client) and not
 *       "resumed" by appending another worker's answer, which would be a 200 with two JSON documents
 *       glued together. Both with a {@code Content-Length} and with chunked transfer encoding.</li>
 * </ul>
 */
class AWorkerDyingMidAnswerNeverGarblesTheClientsAnswerE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;

    @TempDir
    static Path dir;

    private static TruncatingWorker cutting;
    private static SimEngine healthy;
    private static SimEngine reference;
    private static FaultGateway gateway;

    @BeforeAll
    static void start() {
        cutting = new TruncatingWorker(MODEL);
        healthy = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        reference = SimEngine.start(SimEngineConfig.defaults().withPort(0).withoutDelays());
        gateway = FaultGateway.launchUrls("cut-anywhere", dir, "routing: {policy: round_robin}\n",
                List.of(cutting.url(), healthy.url()), "--health-check-interval-secs", "1", "--retry-initial-backoff-ms", "10");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cutting != null) {
            cutting.close();
        }
        for (SimEngine engine : new SimEngine[] {healthy, reference}) {
            if (engine != null) {
                engine.close();
            }
        }
    }

    @Test
    void aStreamCutInTheMiddleOfAnEventResumesAfterTheLastCompleteEvent() {
        int cutBefore = cutting.inferenceRequests();
        long continuationsBefore = continuations();
        List<ClientOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "cut mid-event " + i, 8, true));
        }

        int cut = cutting.inferenceRequests() - cutBefore;
        assertThat(cut).as("streams the cutting worker broke").isPositive();
        Clients.assertAllSucceeded(outcomes);
        assertThat(outcomes).filteredOn(o -> o.text().startsWith(TruncatingWorker.STREAMED_TEXT + " "))
                .as("streams begun by the cutting worker and finished by the other").hasSize(cut);
        assertThat(continuations() - continuationsBefore).isEqualTo(cut);
        assertThat(healthy.stats().recentRequests()).filteredOn(r -> r.bodyText().contains("continue_final_message"))
                .allSatisfy(r -> assertThat(r.bodyText()).contains("\"content\":\"" + TruncatingWorker.STREAMED_TEXT + "\""));
    }

    @Test
    void aNonStreamingAnswerCutMidBodyIsClosedNotResumed() {
        int cutBefore = cutting.inferenceRequests();
        long continuationsBefore = continuations();
        List<ClientOutcome> outcomes = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String prompt = (i < 4 ? "sized " : "chunked ") + i;
            prompts.add(prompt);
            outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, prompt, 6, false));
        }

        assertThat(cutting.inferenceRequests() - cutBefore).as("answers the cutting worker broke").isGreaterThanOrEqualTo(2);
        for (int i = 0; i < outcomes.size(); i++) {
            ClientOutcome o = outcomes.get(i);
            if (o.ok()) {
                assertThat(o.text()).isEqualTo(Clients.chat(reference.url(), MODEL, prompts.get(i), 6, false).text());
            } else {
                assertThat(o.detail()).as("answer to '%s': %s", prompts.get(i), o).startsWith("connection failed");
            }
        }
        assertThat(outcomes.subList(0, 4)).as("answers with a Content-Length").anyMatch(o -> !o.ok());
        assertThat(outcomes.subList(4, 8)).as("chunked answers").anyMatch(o -> !o.ok());
        assertThat(continuations() - continuationsBefore).as("continuations of non-streaming answers").isZero();
    }

    private static long continuations() {
        return healthy.stats().recentRequests().stream().filter(r -> r.bodyText().contains("continue_final_message")).count();
    }
}
