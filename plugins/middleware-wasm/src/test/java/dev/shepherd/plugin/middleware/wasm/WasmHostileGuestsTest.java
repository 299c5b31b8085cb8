package dev.shepherd.plugin.middleware.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.middleware.HookResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guests that misbehave are contained: the request gets its failure-mode answer, the gateway goes on. */
class WasmHostileGuestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreted"})
    void anInfiniteLoopHitsTheDeadlineAndFailsClosed(String engine) {
        try (Guests guests = engine.equals("compiled") ? new Guests() : Guests.interpreted()) {
            guests.load("loop", "{'timeout_ms':50}");

            HookResult result = guests.request(Guests.chat("a", "hi"));

            assertThat(result).isInstanceOfSatisfying(HookResult.Respond.class, r -> {
                assertThat(r.status()).isEqualTo(503);
                assertThat(new String(r.body(), StandardCharsets.UTF_8))
                        .contains("\"type\":\"service_unavailable\"").contains("\"code\":\"wasm_module_failed\"")
                        .contains("timeout");
            });
            assertThat(guests.counter("smg_wasm_failures_total", "module", "loop", "kind", "timeout")).isEqualTo(1);
        }
    }

    @Test
    void anInfiniteLoopFailsOpenWhenAskedTo() {
        try (Guests guests = new Guests()) {
            guests.load("loop", "{'timeout_ms':50,'failure_mode':'fail_open'}");

            assertThat(guests.request(Guests.chat("a", "hi"))).isEqualTo(HookResult.Continue.INSTANCE);
            assertThat(guests.counter("smg_wasm_executions_total", "module", "loop", "hook", "on_request", "result", "failure")).isEqualTo(1);
        }
    }

    @Test
    void aStartFunctionThatNeverReturnsIsRefusedAtLoad() {
        try (Guests guests = new Guests()) {
            assertThatThrownBy(() -> guests.load("start_loop", "{'timeout_ms':50}"))
                    .isInstanceOf(InvalidModuleException.class).hasMessageContaining("did not start within 50 ms");
        }
    }

    @Test
    void memoryGrowthStopsAtTheCap() {
        try (Guests guests = new Guests()) {
            guests.load("grow", "{'max_pages':8}");

            HookResult result = guests.request(Guests.chat("a", "hi"));

            assertThat(result).isInstanceOfSatisfying(HookResult.Modify.class,
                    m -> assertThat(m.setHeaders()).containsEntry("x-pages", "8"));
        }
    }

    @Test
    void aTrappedInstanceIsReplacedByAFreshOne() {
        try (Guests guests = new Guests()) {
            guests.load("trap", "{'failure_mode':'fail_open'}");

            String first = calls(guests.request(Guests.chat("a", "hi")));
            String second = calls(guests.request(Guests.chat("b", "hi")));
            HookResult trapped = guests.request(Guests.chat("c", "hi").header("x-trap", "1"));
            String afterTrap = calls(guests.request(Guests.chat("d", "hi")));

            assertThat(first).isEqualTo("1");
            assertThat(second).isEqualTo("2");
            assertThat(trapped).isEqualTo(HookResult.Continue.INSTANCE);
            assertThat(afterTrap).isEqualTo("1");
            assertThat(guests.counter("smg_wasm_failures_total", "module", "trap", "kind", "trap")).isEqualTo(1);
        }
    }

    @Test
    void aCrashLoopIsCooledDown() {
        try (Guests guests = new Guests()) {
            guests.load("trap");
            for (int i = 0; i < CrashGuard.THRESHOLD; i++) {
                guests.request(Guests.chat("t" + i, "hi").header("x-trap", "1"));
            }

            HookResult cooling = guests.request(Guests.chat("ok", "hi"));
            guests.context.mutableClock().advance(CrashGuard.FIRST_COOLDOWN);
            HookResult recovered = guests.request(Guests.chat("ok2", "hi"));

            assertThat(cooling).isInstanceOf(HookResult.Respond.class);
            assertThat(guests.counter("smg_wasm_failures_total", "module", "trap", "kind", "quarantined")).isEqualTo(1);
            assertThat(guests.counter("smg_wasm_failures_total", "module", "trap", "kind", "trap"))
                    .isEqualTo(CrashGuard.THRESHOLD);
            assertThat(recovered).isInstanceOf(HookResult.Modify.class);
        }
    }

    @Test
    void hugeOutputIsRefused() {
        try (Guests guests = new Guests()) {
            guests.load("huge");

            HookResult result = guests.request(Guests.chat("a", "hi"));

            assertThat(result).isInstanceOfSatisfying(HookResult.Respond.class, r -> assertThat(r.status()).isEqualTo(503));
            assertThat(guests.counter("smg_wasm_failures_total", "module", "huge", "kind", "output_too_large")).isEqualTo(1);
        }
    }

    @Test
    void aBodyOverTheCapIsNotHandedToTheGuest() {
        try (Guests guests = new Guests(new WasmMiddlewareConfig(null, null, null, 16, null))) {
            guests.load("noop");

            HookResult result = guests.request(Guests.chat("a", "a body longer than sixteen bytes"));

            assertThat(result).isInstanceOf(HookResult.Respond.class);
            assertThat(guests.counter("smg_wasm_failures_total", "module", "noop", "kind", "body_too_large")).isEqualTo(1);
        }
    }

    @Test
    void nonJsonActionsAndErrorStatusesCountAsFailures() {
        try (Guests guests = new Guests()) {
            guests.load("bad_action", "{'failure_mode':'fail_open'}");
            guests.load("status");

            HookResult result = guests.request(Guests.chat("a", "hi"));

            assertThat(result).isInstanceOf(HookResult.Respond.class);
            assertThat(guests.counter("smg_wasm_failures_total", "module", "bad-action", "kind", "bad_action")).isEqualTo(1);
            assertThat(guests.counter("smg_wasm_failures_total", "module", "status", "kind", "guest_error")).isEqualTo(1);
        }
    }

    @Test
    void modulesOutsideTheAbiAreRefusedAtLoad() {
        try (Guests guests = new Guests()) {
            assertThatThrownBy(() -> guests.load("no_marker")).isInstanceOf(InvalidModuleException.class)
                    .hasMessageContaining("shepherd_abi_version_1");
            assertThatThrownBy(() -> guests.load("wasi")).isInstanceOf(InvalidModuleException.class)
                    .hasMessageContaining("wasi_snapshot_preview1.fd_write");
            assertThatCode(() -> guests.load("noop", "{'hooks':['on_request']}")).doesNotThrowAnyException();
            assertThatThrownBy(() -> guests.load("auth", "{'name':'a2','hooks':['on_response'],'config':{'api_key':'k'}}"))
                    .isInstanceOf(InvalidModuleException.class).hasMessageContaining("does not export 'on_response'");
            assertThatThrownBy(() -> guests.registry.put(Guests.module("junk", "{}"), "not wasm".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(InvalidModuleException.class).hasMessageContaining("not a valid WebAssembly module");
            assertThatThrownBy(() -> guests.load("huge", "{'max_pages':10}"))
                    .isInstanceOf(InvalidModuleException.class).hasMessageContaining("more than the cap of 10");
        }
    }

    private static String calls(HookResult result) {
        assertThat(result).isInstanceOf(HookResult.Modify.class);
        return ((HookResult.Modify) result).setHeaders().get("x-calls");
    }
}
