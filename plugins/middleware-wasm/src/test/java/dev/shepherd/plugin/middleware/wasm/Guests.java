package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.spi.middleware.HookResult;
import dev.shepherd.spi.middleware.ResponseView;
import dev.shepherd.testkit.fakes.ConfigBinding;
import dev.shepherd.testkit.fakes.FakeRequest;
import dev.shepherd.testkit.fakes.TestPluginContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A wasm middleware over a test context, with helpers to load fixtures and call hooks. */
final class Guests implements AutoCloseable {

    final TestPluginContext context = new TestPluginContext();
    final WasmMiddleware middleware;
    final ModuleRegistry registry;

    Guests() {
        this(WasmMiddlewareConfig.defaults());
    }

    Guests(WasmMiddlewareConfig config) {
        middleware = (WasmMiddleware) new WasmMiddlewareFactory().create(config, context);
        registry = middleware.registry();
    }

    static Guests interpreted() {
        return new Guests(new WasmMiddlewareConfig(null, "interpreted", null, null, null));
    }

    /** Loads a fixture; {@code json} holds the module's settings (name defaults to the fixture's). */
    LoadedModule load(String fixture, String json) {
        return registry.put(module(fixture, json), Wat.wasm(fixture));
    }

    LoadedModule load(String fixture) {
        return load(fixture, "{}");
    }

    static ModuleConfig module(String fixture, String json) {
        try {
            JsonNode node = ConfigBinding.MAPPER.readTree(json.replace('\'', '"'));
            if (!node.has("name")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("name", fixture.replace('_', '-'));
            }
            return ConfigBinding.MAPPER.treeToValue(node, ModuleConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A chat completion with one user turn, as the wasm fixtures expect a client to send it. */
    static FakeRequest chat(String id, String content) {
        return FakeRequest.withUserMessage("sim-model", content).id(id);
    }

    HookResult request(FakeRequest request) {
        try {
            return middleware.onRequest(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    HookResult response(FakeRequest request, int status, String body, boolean streamEvent) {
        ResponseView view = new ResponseView(status, new dev.shepherd.spi.Headers(Map.of("content-type",
                List.of("application/json"))), body.getBytes(java.nio.charset.StandardCharsets.UTF_8), streamEvent);
        try {
            return middleware.onResponse(request, view).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    double counter(String name, String... tags) {
        var counter = context.meterRegistry().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        middleware.close();
        context.close();
    }
}
