package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What load-aware policies weigh, as {@code /get_loads} shows it: the prompt tokens a worker has been
 * sent but not yet started answering (counted by the gateway), and the KV-cache usage the engine
 * reports itself (polled from its {@code /metrics} while the policy in use reads it; cache_aware, the
 * default, does).
 */
class PoliciesSeeTheEnginesLoadE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;

    @TempDir
    Path dir;

    @Test
    void queuedPromptTokensAndReportedKvUsageReachTheWorkersLoad() {
        try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults().withPort(0).withKvTokens(4096).withDecodeMs(20));
             FaultGateway gateway = FaultGateway.launch("engine-load", dir, "{}\n", List.of(engine),
                     "--load-monitor-interval", "1")) {
            // While a long generation runs, the engine reserves KV blocks for it and says so in its
            // metrics; the poll brings that into the worker's load, and back to 0 once it ends.
            CompletableFuture<ClientOutcome> running = Clients.async(() ->
                    Clients.chat(gateway.baseUrl(), MODEL, "a long answer", 400, true));
            await().atMost(FaultGateway.STATE_CHANGE).until(() -> details(gateway).path("kv_cache_usage").asDouble() > 0);
            assertThat(Clients.outcome(running).status()).isEqualTo(200);
            await().atMost(FaultGateway.STATE_CHANGE).until(() -> details(gateway).path("kv_cache_usage").asDouble() == 0);

            // A request waiting for its first byte counts its prompt as queued work, until it starts.
            assertThat(details(gateway).path("queued_prompt_tokens").asLong()).isZero();
            engine.faults().slowMs(3000);
            CompletableFuture<ClientOutcome> slow = Clients.async(() ->
                    Clients.chat(gateway.baseUrl(), MODEL, "a prompt that waits ".repeat(20), 4, false));
            await().atMost(FaultGateway.STATE_CHANGE).until(() -> details(gateway).path("queued_prompt_tokens").asLong() > 0);
            assertThat(Clients.outcome(slow).status()).isEqualTo(200);
            await().atMost(FaultGateway.STATE_CHANGE).until(() -> details(gateway).path("queued_prompt_tokens").asLong() == 0);
        }
    }

    private static JsonNode details(FaultGateway gateway) {
        return Http.json(Http.get(gateway.baseUrl() + "/get_loads")).path("workers").path(0).path("details");
    }
}
