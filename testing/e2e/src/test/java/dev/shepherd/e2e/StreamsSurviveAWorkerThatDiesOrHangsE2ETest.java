package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed before a request, killed in the middle of a stream, or hanging: the client never
 * notices. Requests are retried on the other worker before their first byte; a broken stream is
 * continued on the other worker and the client's text is exactly what one uninterrupted generation
 * gives (the simulated engine is deterministic, so a third engine outside the gateway tells what that
 * is); a hung worker costs one first-byte timeout.
 */
class StreamsSurviveAWorkerThatDiesOrHangsE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;
    private static final int MAX_TOKENS = 16;
    private static final String RESUMED = "resuming the stream on another worker";

    @TempDir
    static Path dir;

    private static SimEngineConfig victimConfig;
    private static SimEngine victim;
    private static SimEngine survivor;
    private static SimEngine reference;
    private static FaultGateway gateway;

    @BeforeAll
    static void start() {
        victim = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        victimConfig = victim.config().withPort(victim.port());
        survivor = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        reference = SimEngine.start(SimEngineConfig.defaults().withPort(0));
        gateway = FaultGateway.launch("streams-survive", dir, """
                resilience:
                  first_byte_timeout_secs: 2
                  stream_idle_timeout_secs: 2
                """, List.of(victim, survivor),
                "--policy", "round_robin", "--health-check-interval-secs", "1",
                "--retry-initial-backoff-ms", "10", "--cb-timeout-duration-secs", "2");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        for (SimEngine engine : new SimEngine[] {victim, survivor, reference}) {
            if (engine != null) {
                engine.close();
            }
        }
    }

    /** Both workers up, healthy and without faults; a killed victim comes back on its old port. */
    @BeforeEach
    void restore() {
        if (!victim.isAlive()) {
            victim.close();
            victim = SimEngine.start(victimConfig);
        }
        victim.reset();
        survivor.reset();
        gateway.awaitAvailable(2);
    }

    @Test
    void aWorkerKilledBeforeTheStreamIsRetriedOnAnotherAndTheClientGetsTheWholeStream() {
        victim.close();

        List<ClientOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "killed before " + i, MAX_TOKENS, true));
        }

        Clients.assertAllSucceeded(outcomes);
        for (int i = 0; i < 4; i++) {
            assertThat(outcomes.get(i).text()).isEqualTo(uninterrupted("killed before " + i));
        }
        assertThat(survivor.stats().inferenceRequests()).isEqualTo(4);
        assertThat(gateway.worker(victim).path("stats").path("failed_requests").asLong())
                .as("round robin sent some of the requests to the dead worker first").isPositive();
    }

    @Test
    void aStreamWhoseWorkerDiesMidwayResumesOnAnotherWithTheTextOfOneUninterruptedGeneration() {
        long resumedBefore = resumptionsLogged();
        // The victim's next request, a stream, is cut after 4 tokens, and the engine crashes right then.
        victim.faults().dieMidStreamAfterTokens(4).dieAfter(1);

        List<ClientOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "dies midway " + i, MAX_TOKENS, true));
        }

        Clients.assertAllSucceeded(outcomes);
        for (int i = 0; i < 4; i++) {
            assertThat(outcomes.get(i).text()).as("stream %d", i).isEqualTo(uninterrupted("dies midway " + i));
            assertThat(words(outcomes.get(i).text())).isEqualTo(MAX_TOKENS);
        }
        assertThat(victim.hasCrashed()).as("the victim died in the middle of a stream").isTrue();
        assertThat(resumptionsLogged() - resumedBefore).isEqualTo(1);
    }

    @Test
    void aStreamCutByAWorkerThatStaysUpIsResumedOnAnother() {
        long resumedBefore = resumptionsLogged();
        victim.faults().dieMidStreamAfterTokens(5);

        List<ClientOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(Clients.chat(gateway.baseUrl(), MODEL, "cut " + i, MAX_TOKENS, true));
        }

        Clients.assertAllSucceeded(outcomes);
        for (int i = 0; i < 4; i++) {
            assertThat(outcomes.get(i).text()).as("stream %d", i).isEqualTo(uninterrupted("cut " + i));
        }
        long cut = victim.stats().inferenceRequests();
        assertThat(cut).as("round robin sent streams to the cutting worker").isPositive();
        assertThat(resumptionsLogged() - resumedBefore).isEqualTo(cut);
        // Each resumed stream was finished by the survivor: its own requests plus one continuation per cut.
        assertThat(survivor.stats().inferenceRequests()).isEqualTo(4);
        assertThat(survivor.stats().recentRequests()).filteredOn(r -> r.bodyText().contains("\"continue_final_message\":true"))
                .hasSize((int) cut);
    }

    @Test
    void aHungWorkerCostsOneFirstByteTimeoutAndAnotherWorkerAnswers() {
        victim.faults().hang(true);

        List<ClientOutcome> outcomes = Clients.concurrently(4, i ->
                Clients.chat(gateway.baseUrl(), MODEL, "hung " + i, MAX_TOKENS, i % 2 == 0));

        Clients.assertAllSucceeded(outcomes);
        for (int i = 0; i < 4; i++) {
            assertThat(outcomes.get(i).text()).as("request %d", i).isEqualTo(uninterrupted("hung " + i));
        }
        // Every request was answered once by the survivor; each one that met the hung worker waited
        // there once (one first-byte timeout) and was never sent back to it.
        assertThat(survivor.stats().inferenceRequests()).isEqualTo(4);
        assertThat(victim.stats().inferenceRequests()).isBetween(1L, 4L);
    }

    /** What one uninterrupted generation gives, from an engine outside the gateway. */
    private static String uninterrupted(String prompt) {
        ClientOutcome direct = Clients.chat(reference.url(), MODEL, prompt, MAX_TOKENS, true);
        assertThat(direct.ok()).as(direct.toString()).isTrue();
        return direct.text();
    }

    private static int words(String text) {
        return text.trim().split("\\s+").length;
    }

    private static long resumptionsLogged() {
        return gateway.output().lines().filter(l -> l.contains(RESUMED)).count();
    }
}
