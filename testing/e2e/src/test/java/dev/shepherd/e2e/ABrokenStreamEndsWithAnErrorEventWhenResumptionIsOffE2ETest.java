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
 * With {@code resilience.resume_streams: false}, a stream whose worker breaks after the first byte is
 * not continued: it ends with an explicit {@code data: {"error":...}} event the client can read, never
 * a silent truncation — also when the worker broke off in the middle of an event.
 */
class ABrokenStreamEndsWithAnErrorEventWhenResumptionIsOffE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;

    @TempDir
    Path dir;

    @Test
    void aStreamCutByItsWorkerEndsWithAnOpenAiErrorEventAfterTheTextAlreadySent() {
        try (SimEngine cutting = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             SimEngine healthy = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             FaultGateway gateway = FaultGateway.launch("resume-off", dir, """
                     resilience:
                       resume_streams: false
                       first_byte_timeout_secs: 2
                       stream_idle_timeout_secs: 2
                     """, List.of(cutting, healthy), "--policy", "round_robin", "--health-check-interval-secs", "1",
                     "--retry-initial-backoff-ms", "10")) {
            cutting.faults().dieMidStreamAfterTokens(3);

            List<ClientOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "no resumption " + i, 12, true));
            }

            Clients.assertEveryClientAnswered(outcomes);
            long cut = cutting.stats().inferenceRequests();
            assertThat(cut).as("round robin sent streams to the cutting worker").isPositive();
            List<ClientOutcome> errors = outcomes.stream().filter(o -> o.isError(200)).toList();
            assertThat(errors).as("every cut stream ends with an error event").hasSize((int) cut);
            assertThat(errors).allSatisfy(o -> {
                assertThat(ClientOutcome.eventData(o.body())).last().asString().startsWith("{\"error\":");
                assertThat(o.body()).doesNotContain("[DONE]");
                assertThat(o.text().trim().split("\\s+")).as("the tokens sent before the cut").hasSize(3);
            });
            assertThat(outcomes.stream().filter(ClientOutcome::ok).count()).isEqualTo(4 - cut);
            assertThat(healthy.stats().recentRequests()).noneMatch(r -> r.bodyText().contains("continue_final_message"));
        }
    }

    @Test
    void aStreamCutInTheMiddleOfAnEventEndsWithAReadableErrorEvent() {
        try (TruncatingWorker cutting = new TruncatingWorker(MODEL);
             SimEngine healthy = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             FaultGateway gateway = FaultGateway.launchUrls("resume-off-mid-event", dir, "resilience: {resume_streams: false}\n",
                     List.of(cutting.url(), healthy.url()), "--policy", "round_robin", "--health-check-interval-secs", "1",
                     "--retry-initial-backoff-ms", "10")) {
            List<ClientOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "cut mid-event " + i, 8, true));
            }

            assertThat(cutting.inferenceRequests()).as("streams the cutting worker broke").isPositive();
            Clients.assertEveryClientAnswered(outcomes);
            assertThat(outcomes).filteredOn(o -> o.isError(200)).as("streams ended by an error event")
                    .hasSize(cutting.inferenceRequests())
                    .allSatisfy(o -> assertThat(o.text()).as("the complete events before the cut")
                            .isEqualTo(TruncatingWorker.STREAMED_TEXT));
        }
    }
}
