package dev.shepherd.plugin.middleware.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.api.LocalResponse;
import dev.shepherd.spi.middleware.HookResult;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The /wasm routes manage modules at run time, and every one of them is an admin route. */
class WasmAdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WasmAdminApi api = new WasmAdminApi(Executors.newVirtualThreadPerTaskExecutor());
    private Guests guests;

    @AfterEach
    void close() {
        if (guests != null) {
            guests.close();
        }
    }

    @Test
    void everyRouteIsAnAdminRoute() {
        assertThat(api.endpoints()).allSatisfy(e -> assertThat(((Endpoint.Local) e).admin()).isTrue());
        assertThat(new WasmAdminApiFactory().name()).isEqualTo("wasm");
    }

    @Test
    void uploadsListsAttachesAndDeletes() throws Exception {
        guests = new Guests();
        byte[] wasm = Wat.wasm("headers");
        String upload = "{\"modules\":[{\"name\":\"tagger\",\"wasm_base64\":\"" + Base64.getEncoder().encodeToString(wasm)
                + "\",\"module_type\":\"Middleware\",\"attach_points\":[{\"Middleware\":\"OnRequest\"}]}]}";

        JsonNode added = body(call("POST", "/wasm", Map.of(), "", upload), 200);
        JsonNode listed = body(call("GET", "/wasm", Map.of(), "", ""), 200);
        HookResult before = guests.request(Guests.chat("a", "hi"));
        JsonNode attached = body(call("POST", "/wasm/{id}/attach", Map.of("id", "tagger"), "", "{\"hook\":\"on_response\"}"), 200);
        JsonNode detached = body(call("POST", "/wasm/{id}/detach", Map.of("id", added.at("/modules/0/id").asText()), "",
                "{\"hook\":\"on_request\"}"), 200);
        HookResult afterDetach = guests.request(Guests.chat("b", "hi"));
        JsonNode deleted = body(call("DELETE", "/wasm/{id}", Map.of("id", "tagger"), "", ""), 200);

        assertThat(added.at("/modules/0/result").asText()).isEqualTo("success");
        assertThat(listed.at("/modules/0/name").asText()).isEqualTo("tagger");
        assertThat(listed.at("/modules/0/sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(wasm)));
        assertThat(listed.at("/modules/0/size_bytes").asInt()).isEqualTo(wasm.length);
        assertThat(before).isInstanceOf(HookResult.Modify.class);
        assertThat(attached.path("hooks").toString()).isEqualTo("[\"on_request\",\"on_response\"]");
        assertThat(detached.path("hooks").toString()).isEqualTo("[\"on_response\"]");
        assertThat(afterDetach).isEqualTo(HookResult.Continue.INSTANCE);
        assertThat(deleted.path("deleted").asBoolean()).isTrue();
        assertThat(guests.registry.modules()).isEmpty();
    }

    @Test
    void aRawUploadReplacesAModuleInPlace() throws Exception {
        guests = new Guests();
        guests.load("noop", "{\"name\":\"first\"}");
        guests.load("noop", "{\"name\":\"gate\"}");
        guests.load("noop", "{\"name\":\"last\"}");

        JsonNode replaced = body(call("PUT", "/wasm/{id}", Map.of("id", "gate"),
                "hooks=on_request&failure_mode=fail_closed&config=" + java.net.URLEncoder.encode("{\"api_key\":\"k\"}",
                        StandardCharsets.UTF_8), Wat.wasm("auth")), 200);

        assertThat(replaced.path("hooks").toString()).isEqualTo("[\"on_request\"]");
        assertThat(guests.registry.modules()).extracting(LoadedModule::name).containsExactly("first", "gate", "last");
        assertThat(guests.request(Guests.chat("a", "hi"))).isInstanceOf(HookResult.Respond.class);
    }

    @Test
    void badInputGetsAClearClientError() {
        guests = new Guests();

        JsonNode junk = body(call("POST", "/wasm", Map.of(), "", "{\"name\":\"junk\",\"wasm_base64\":\""
                + Base64.getEncoder().encodeToString("nope".getBytes(StandardCharsets.UTF_8)) + "\"}"), 400);

        assertThat(junk.at("/modules/0/result").asText()).isEqualTo("error");
        assertThat(junk.at("/modules/0/message").asText()).contains("not a valid WebAssembly module");
        assertThat(junk.at("/error/code").asText()).isEqualTo("invalid_wasm_module");
        assertThat(failure("DELETE", "/wasm/{id}", Map.of("id", "ghost"), "")).satisfies(e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("wasm_module_not_found");
        });
        assertThat(failure("POST", "/wasm", Map.of(), "not json").status()).isEqualTo(400);
        assertThat(failure("PUT", "/wasm/{id}", Map.of("id", "x"), "").status()).isEqualTo(400);
        guests.load("noop");
        assertThat(failure("POST", "/wasm/{id}/attach", Map.of("id", "noop"), "{\"hook\":\"on_error\"}").code())
                .isEqualTo("invalid_hook");
    }

    @Test
    void withoutTheMiddlewareTheRoutesSaySo() {
        assertThat(failure("GET", "/wasm", Map.of(), "").code()).isEqualTo("wasm_not_enabled");
    }

    private LocalResponse call(String method, String path, Map<String, String> params, String query, Object body) {
        byte[] bytes = body instanceof byte[] b ? b : ((String) body).getBytes(StandardCharsets.UTF_8);
        Endpoint.Local endpoint = api.endpoints().stream().map(Endpoint.Local.class::cast)
                .filter(e -> e.method().equals(method) && e.path().equals(path)).findFirst().orElseThrow();
        return endpoint.handler().handle(new IncomingRequest("r", method, path, query, params, Headers.EMPTY, bytes))
                .toCompletableFuture().join();
    }

    private GatewayException failure(String method, String path, Map<String, String> params, String body) {
        try {
            call(method, path, params, "", body);
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(GatewayException.class);
            return (GatewayException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    private static JsonNode body(LocalResponse response, int status) {
        assertThat(response.status()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
