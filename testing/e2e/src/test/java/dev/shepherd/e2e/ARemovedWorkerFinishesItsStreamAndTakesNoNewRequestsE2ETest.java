package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DELETE /workers/{id}} while a slow stream runs on that worker: the worker drains — the stream
 * completes in full, new requests go to the other worker — and it leaves {@code /workers} afterwards.
 */
class ARemovedWorkerFinishesItsStreamAndTakesNoNewRequestsE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;
    private static final int STREAM_TOKENS = 40;

    @TempDir
    Path dir;

    @Test
    void theStreamCompletesNewRequestsGoElsewhereAndTheWorkerIsRemovedAfterwards() {
        // 50 ms per token: the 40-token stream runs for about 2 s, long enough to remove its worker meanwhile.
        try (SimEngine first = SimEngine.start(SimEngineConfig.defaults().withPort(0).withDecodeMs(50));
             SimEngine second = SimEngine.start(SimEngineConfig.defaults().withPort(0).withDecodeMs(50));
             SimEngine reference = SimEngine.start(SimEngineConfig.defaults().withPort(0).withoutDelays());
             FaultGateway gateway = FaultGateway.launch("drain", dir, "routing: {policy: round_robin}\n",
                     List.of(first, second), "--health-check-interval-secs", "1")) {
            CompletableFuture<ClientOutcome> stream = Clients.async(() ->
                    Clients.chat(gateway.baseUrl(), MODEL, "drain me", STREAM_TOKENS, true));
            await().atMost(FaultGateway.STATE_CHANGE)
                    .until(() -> first.stats().inferenceRequests() + second.stats().inferenceRequests() == 1);
            SimEngine removed = first.stats().inferenceRequests() == 1 ? first : second;
            SimEngine remaining = removed == first ? second : first;

            String removedId = gateway.worker(removed).path("id").asText();
            HttpResponse<String> deleted = Http.delete(gateway.baseUrl() + "/workers/" + removedId);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
            assertThat(Http.json(deleted).path("status").asText()).isEqualTo("draining");
            assertThat(gateway.status(removed)).as("while its stream runs").isEqualTo("draining");

            List<ClientOutcome> meanwhile = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                meanwhile.add(Clients.chat(gateway.baseUrl(), MODEL, "meanwhile " + i, 2, i % 2 == 0));
            }
            Clients.assertAllSucceeded(meanwhile);
            assertThat(removed.stats().inferenceRequests()).as("requests to the draining worker").isEqualTo(1);
            assertThat(remaining.stats().inferenceRequests()).isEqualTo(4);

            ClientOutcome streamed = Clients.outcome(stream);
            assertThat(streamed.ok()).as(streamed.toString()).isTrue();
            ClientOutcome direct = Clients.chat(reference.url(), MODEL, "drain me", STREAM_TOKENS, true);
            assertThat(streamed.text()).isEqualTo(direct.text());
            assertThat(streamed.text().trim().split("\\s+")).hasSize(STREAM_TOKENS);

            await().atMost(FaultGateway.STATE_CHANGE).until(() -> gateway.worker(removed).isMissingNode());
            assertThat(gateway.workers()).hasSize(1);
            assertThat(gateway.output()).contains("removed worker " + removedId);
        }
    }
}
