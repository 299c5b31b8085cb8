package dev.shepherd.plugin.middleware.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.middleware.HookResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Many requests at once through stateful guests: pooled instances keep them apart, counters stay exact. */
class WasmConcurrencyTest {

    private static final int REQUESTS = 200;

    /** Repeated: an instance handed back too early shows only when two calls interleave just so. */
    @RepeatedTest(3)
    void concurrentRequestsNeverShareAnInstance() throws Exception {
        try (Guests guests = new Guests()) {
            guests.load("echo");
            List<CompletableFuture<HookResult>> results = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                CompletionStage<HookResult> stage = guests.middleware.onRequest(Guests.chat("request-" + i, "hi"));
                results.add(stage.toCompletableFuture());
            }

            for (int i = 0; i < REQUESTS; i++) {
                HookResult result = results.get(i).get(30, TimeUnit.SECONDS);
                assertThat(result).isInstanceOf(HookResult.Modify.class);
                assertThat(((HookResult.Modify) result).setHeaders()).containsEntry("x-echo", "request-" + i);
            }
            assertThat(guests.counter("smg_wasm_executions_total", "module", "echo", "hook", "on_request", "result", "success"))
                    .isEqualTo(REQUESTS);
        }
    }

    @Test
    void aSharedCounterLetsExactlyTheLimitThroughUnderConcurrency() throws Exception {
        try (Guests guests = new Guests()) {
            guests.load("ratelimit");
            List<CompletableFuture<HookResult>> results = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                results.add(guests.middleware.onRequest(Guests.chat("r" + i, "hi").header("x-client-id", "carol"))
                        .toCompletableFuture());
            }

            int passed = 0;
            for (CompletableFuture<HookResult> result : results) {
                if (result.get(30, TimeUnit.SECONDS) == HookResult.Continue.INSTANCE) {
                    passed++;
                }
            }
            assertThat(passed).isEqualTo(3);
        }
    }
}
