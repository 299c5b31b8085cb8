package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load beyond capacity: the gateway admits what it can, queues a bounded amount, and turns the rest
 * away at once with 503 (overload) or 429 (rate) plus {@code Retry-After} and an OpenAI-shaped body;
 * with the priority scheduler a {@code system} request takes the place of a {@code bulk} request that
 * has not started, and that client is told so (503 with {@code X-SMG-Preempted}). No client is left
 * without an answer.
 */
class OverloadIsTurnedAwayWithRetryAfterNeverDroppedE2ETest {

    private static final String MODEL = SimEngineConfig.DEFAULT_MODEL;

    @TempDir
    Path dir;

    @Test
    void beyondTheQueueRequestsGet503WithRetryAfterAndTheAdmittedOnesSucceed() {
        try (SimEngine worker = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             FaultGateway gateway = FaultGateway.launch("overload", dir, "routing: {policy: round_robin}\n", List.of(worker),
                     "--max-concurrent-requests", "2", "--queue-size", "2", "--health-check-interval-secs", "1")) {
            // The worker holds every request until released: slower than any spread of the arrivals,
            // so exactly 2 requests run, 2 wait in the queue and 6 are turned away.
            worker.faults().hang(true);
            List<CompletableFuture<ClientOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                calls.add(Clients.async(() -> Clients.chat(gateway.baseUrl(), MODEL, "overload " + n, 4, n % 2 == 0)));
            }
            await().atMost(FaultGateway.STATE_CHANGE).untilAsserted(() -> {
                assertThat(worker.stats().inferenceRequests()).as("requests running at the worker").isEqualTo(2);
                assertThat(calls.stream().filter(CompletableFuture::isDone).map(Clients::outcome).toList())
                        .as("requests answered at once (the rest run or wait in the queue)").hasSize(6);
            });
            worker.faults().hang(false);
            List<ClientOutcome> outcomes = calls.stream().map(Clients::outcome).toList();

            Clients.assertEveryClientAnswered(outcomes);
            assertThat(outcomes.stream().filter(ClientOutcome::ok).count()).as("two ran, two waited").isEqualTo(4);
            List<ClientOutcome> rejected = outcomes.stream().filter(o -> !o.ok()).toList();
            assertThat(rejected).hasSize(6).allSatisfy(o -> {
                assertThat(o.isError(503)).as(o.toString()).isTrue();
                assertThat(o.errorCode()).isEqualTo("overloaded");
                assertThat(o.header("Retry-After")).get().satisfies(v -> assertThat(Integer.parseInt(v)).isPositive());
            });
            assertThat(worker.stats().inferenceRequests()).isEqualTo(4);
        }
    }

    @Test
    void overTheRateLimitRequestsGet429WithRetryAfter() {
        try (SimEngine worker = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             FaultGateway gateway = FaultGateway.launch("rate-limit", dir, "routing: {policy: round_robin}\n", List.of(worker),
                     "--rate-limit-tokens-per-second", "1", "--health-check-interval-secs", "1")) {
            List<ClientOutcome> outcomes = Clients.concurrently(6, i ->
                    Clients.chat(gateway.baseUrl(), MODEL, "rate " + i, 4, i % 2 == 0));

            Clients.assertEveryClientAnswered(outcomes);
            List<ClientOutcome> limited = outcomes.stream().filter(o -> !o.ok()).toList();
            assertThat(outcomes.stream().filter(ClientOutcome::ok).count()).as("served: the bucket's one token, and refills")
                    .isPositive();
            assertThat(limited).as("turned away").isNotEmpty();
            assertThat(limited).allSatisfy(o -> {
                assertThat(o.isError(429)).as(o.toString()).isTrue();
                assertThat(o.error().path("type").asText()).isEqualTo("rate_limit_error");
                assertThat(o.errorCode()).isEqualTo("rate_limit_exceeded");
                assertThat(o.header("Retry-After")).get().satisfies(v -> assertThat(Integer.parseInt(v)).isPositive());
            });
            assertThat(worker.stats().inferenceRequests()).isEqualTo(6 - limited.size());
        }
    }

    @Test
    void aSystemRequestPreemptsABulkRequestThatHasNotStarted() {
        try (SimEngine bulkWorker = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels("bulk-model"));
             SimEngine worker = SimEngine.start(SimEngineConfig.defaults().withPort(0));
             FaultGateway gateway = FaultGateway.launch("preemption", dir, """
                     admission:
                       max_concurrent_requests: 2
                       queue_size: 4
                       priority_scheduler: {enabled: true, reserved: {}}
                     resilience: {first_byte_timeout_secs: 20, max_retries: 1}
                     """, List.of(bulkWorker, worker), "--health-check-interval-secs", "1")) {
            // Capacity full of bulk requests that have not had a first byte: their worker holds them.
            bulkWorker.faults().hang(true);
            List<CompletableFuture<ClientOutcome>> bulk = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int n = i;
                bulk.add(Clients.async(() -> Clients.chat(gateway.baseUrl(), "bulk-model", "bulk " + n, 4, n == 0,
                        "X-SMG-Priority", "bulk")));
            }
            await().atMost(FaultGateway.STATE_CHANGE).until(() -> bulkWorker.stats().inferenceRequests() == 2);

            ClientOutcome system = Clients.chat(gateway.baseUrl(), MODEL, "system", 4, false, "X-SMG-Priority", "system");

            await().atMost(FaultGateway.STATE_CHANGE).until(() -> bulk.stream().anyMatch(CompletableFuture::isDone));
            bulkWorker.faults().hang(false);
            List<ClientOutcome> bulkOutcomes = bulk.stream().map(Clients::outcome).toList();

            assertThat(system.ok()).as(system.toString()).isTrue();
            Clients.assertEveryClientAnswered(bulkOutcomes);
            List<ClientOutcome> preempted = bulkOutcomes.stream().filter(o -> !o.ok()).toList();
            assertThat(preempted).as("bulk requests that lost their place").hasSize(1);
            ClientOutcome loser = preempted.get(0);
            assertThat(loser.isError(503)).as(loser.toString()).isTrue();
            assertThat(loser.header("X-SMG-Preempted")).hasValue("true");
            assertThat(loser.errorCode()).isEqualTo("preempted");
            assertThat(loser.header("Retry-After")).isPresent();
        }
    }
}
