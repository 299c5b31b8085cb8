package dev.shepherd.plugin.middleware.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.middleware.HookResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example guests (as WAT fixtures), on both engines. */
class WasmExamplesTest {

    private static Guests guests(String engine) {
        return engine.equals("compiled") ? new Guests() : Guests.interpreted();
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreted"})
    void authRejectsRequestsWithoutTheConfiguredKey(String engine) {
        try (Guests guests = guests(engine)) {
            guests.load("auth", "{'config':{'api_key':'s3cret'}}");

            HookResult missing = guests.request(Guests.chat("a", "hi"));
            HookResult wrong = guests.request(Guests.chat("b", "hi").header("x-api-key", "nope"));
            HookResult right = guests.request(Guests.chat("c", "hi").header("x-api-key", "s3cret"));

            assertThat(missing).isInstanceOfSatisfying(HookResult.Respond.class, r -> {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.headers()).containsEntry("content-type", "application/json");
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"code\":\"invalid_api_key\"");
            });
            assertThat(wrong).isInstanceOf(HookResult.Respond.class);
            assertThat(right).isEqualTo(HookResult.Continue.INSTANCE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreted"})
    void authRefusesAConfigurationWithoutAKey(String engine) {
        try (Guests guests = guests(engine)) {
            assertThatThrownBy(() -> guests.load("auth", "{'config':{}}"))
                    .isInstanceOf(InvalidModuleException.class)
                    .hasMessageContaining("refused its configuration")
                    .hasMessageContaining("config must be");
            assertThat(guests.registry.modules()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreted"})
    void headersGuestInjectsAndRemovesHeadersBothWays(String engine) {
        try (Guests guests = guests(engine)) {
            guests.load("headers", "{'hooks':['on_request','on_response']}");

            HookResult in = guests.request(Guests.chat("a", "hi").header("x-drop-me", "1"));
            HookResult out = guests.response(Guests.chat("a", "hi"), 200, "{}", false);

            assertThat(in).isInstanceOfSatisfying(HookResult.Modify.class, m -> {
                assertThat(m.setHeaders()).containsEntry("x-shepherd-wasm", "injected");
                assertThat(m.removeHeaders()).containsExactly("x-drop-me");
                assertThat(m.body()).isNull();
            });
            assertThat(out).isInstanceOfSatisfying(HookResult.Modify.class,
                    m -> assertThat(m.setHeaders()).containsEntry("x-wasm-response", "seen"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreted"})
    void rateLimitCountsPerClientPerWindow(String engine) {
        try (Guests guests = guests(engine)) {
            guests.load("ratelimit");
            for (int i = 0; i < 3; i++) {
                assertThat(guests.request(Guests.chat("r" + i, "hi").header("x-client-id", "alice")))
                        .isEqualTo(HookResult.Continue.INSTANCE);
            }

            HookResult fourth = guests.request(Guests.chat("r4", "hi").header("x-client-id", "alice"));
            HookResult otherClient = guests.request(Guests.chat("r5", "hi").header("x-client-id", "bob"));
            guests.context.mutableClock().advance(Duration.ofMinutes(1));
            HookResult nextWindow = guests.request(Guests.chat("r6", "hi").header("x-client-id", "alice"));

            assertThat(fourth).isInstanceOfSatisfying(HookResult.Respond.class, r -> {
                assertThat(r.status()).isEqualTo(429);
                assertThat(r.headers()).containsEntry("retry-after", "60");
            });
            assertThat(otherClient).isEqualTo(HookResult.Continue.INSTANCE);
            assertThat(nextWindow).isEqualTo(HookResult.Continue.INSTANCE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreted"})
    void redactionMasksSecretsInRequestAndResponseBodies(String engine) {
        try (Guests guests = guests(engine)) {
            guests.load("redact", "{'hooks':['on_request','on_response']}");

            HookResult in = guests.request(Guests.chat("a", "my secret is secret"));
            HookResult out = guests.response(Guests.chat("a", "x"), 200,
                    "{\"choices\":[{\"message\":{\"content\":\"the secret\"}}]}", false);

            assertThat(in).isInstanceOfSatisfying(HookResult.Modify.class, m -> assertThat(new String(m.body(),
                    StandardCharsets.UTF_8)).contains("\"content\":\"my ****** is ******\"").doesNotContain("secret"));
            assertThat(out).isInstanceOfSatisfying(HookResult.Modify.class, m -> assertThat(new String(m.body(),
                    StandardCharsets.UTF_8)).isEqualTo("{\"choices\":[{\"message\":{\"content\":\"the ******\"}}]}"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreted"})
    void modulesChainInOrderAndResponsesRunInReverse(String engine) {
        try (Guests guests = guests(engine)) {
            guests.load("headers", "{'hooks':['on_request','on_response']}");
            guests.load("auth", "{'config':{'api_key':'k'}}");

            HookResult rejected = guests.request(Guests.chat("a", "hi"));

            assertThat(rejected).isInstanceOfSatisfying(HookResult.Respond.class, r -> assertThat(r.status()).isEqualTo(401));
            assertThat(guests.registry.modules()).extracting(LoadedModule::name).containsExactly("headers", "auth");
        }
    }
}
