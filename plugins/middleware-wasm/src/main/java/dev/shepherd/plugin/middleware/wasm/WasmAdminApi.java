package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.api.LocalResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The {@code /wasm} admin routes (SMG's, plus raw upload and attach/detach): modules change at run time
 * without a restart. Every route is an admin route, so the kernel lets only admin callers through.
 * Loading compiles guest code, so handlers hop to the blocking executor.
 */
final class WasmAdminApi implements Api {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Executor blocking;

    WasmAdminApi(Executor blocking) {
        this.blocking = blocking;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                new Endpoint.Local("GET", "/wasm", true, r -> async(r, this::list)),
                new Endpoint.Local("POST", "/wasm", true, r -> async(r, this::upload)),
                new Endpoint.Local("GET", "/wasm/{id}", true, r -> async(r, this::show)),
                new Endpoint.Local("PUT", "/wasm/{id}", true, r -> async(r, this::uploadRaw)),
                new Endpoint.Local("DELETE", "/wasm/{id}", true, r -> async(r, this::delete)),
                new Endpoint.Local("POST", "/wasm/{id}/attach", true, r -> async(r, req -> attach(req, true))),
                new Endpoint.Local("POST", "/wasm/{id}/detach", true, r -> async(r, req -> attach(req, false))));
    }

    private CompletionStage<LocalResponse> async(IncomingRequest request, Function<IncomingRequest, LocalResponse> handler) {
        return CompletableFuture.supplyAsync(() -> handler.apply(request), blocking);
    }

    private LocalResponse list(IncomingRequest request) {
        return json(200, ModuleListing.list(MAPPER, registry().modules()));
    }

    private LocalResponse show(IncomingRequest request) {
        return json(200, ModuleListing.one(MAPPER, module(request)));
    }

    /** {@code {"modules":[{...}]}} (SMG) or one module object; each is loaded on its own. */
    private LocalResponse upload(IncomingRequest request) {
        ModuleRegistry registry = registry();
        JsonNode body = parse(request.body());
        List<JsonNode> declarations = new ArrayList<>();
        if (body.has("modules")) {
            if (!body.get("modules").isArray()) {
                throw badRequest("'modules' must be an array of module declarations");
            }
            body.get("modules").forEach(declarations::add);
        } else {
            declarations.add(body);
        }
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode results = root.putArray("modules");
        int failed = 0;
        for (JsonNode declaration : declarations) {
            ObjectNode result = results.addObject();
            result.put("name", declaration.path("name").asText(null));
            try {
                ModuleConfig config = MAPPER.treeToValue(declaration, ModuleConfig.class);
                LoadedModule loaded = registry.put(config, ModuleLoader.bytesOf(config));
                result.put("id", loaded.id()).put("sha256", loaded.sha256()).put("result", "success");
            } catch (IOException | IllegalArgumentException | InvalidModuleException e) {
                failed++;
                result.put("result", "error").put("message", message(e));
            }
        }
        if (failed > 0) {
            ObjectNode error = root.putObject("error");
            error.put("message", failed + " of " + declarations.size() + " modules could not be loaded");
            error.put("type", "invalid_request_error");
            error.put("code", "invalid_wasm_module");
        }
        return json(failed > 0 ? 400 : 200, root);
    }

    /** The module's bytes as the body; its settings in the query ({@code ?hooks=on_request,on_response&...}). */
    private LocalResponse uploadRaw(IncomingRequest request) {
        ModuleRegistry registry = registry();
        if (request.body().length == 0) {
            throw badRequest("send the module's .wasm bytes as the request body");
        }
        ObjectNode declaration = MAPPER.createObjectNode();
        declaration.put("name", request.pathParams().get("id"));
        for (String pair : request.query().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (key) {
                case "hooks" -> {
                    ArrayNode hooks = declaration.putArray("hooks");
                    for (String hook : value.split(",")) {
                        hooks.add(hook.trim());
                    }
                }
                case "failure_mode" -> declaration.put("failure_mode", value);
                case "max_pages", "timeout_ms" -> declaration.put(key, integer(key, value));
                case "stream_events" -> declaration.put(key, Boolean.parseBoolean(value));
                case "config" -> declaration.set("config", parse(value.getBytes(StandardCharsets.UTF_8)));
                default -> throw badRequest("unknown query parameter '" + key + "'");
            }
        }
        try {
            ModuleConfig config = MAPPER.treeToValue(declaration, ModuleConfig.class);
            LoadedModule loaded = registry.put(config, request.body());
            return json(200, ModuleListing.one(MAPPER, loaded));
        } catch (IOException | IllegalArgumentException | InvalidModuleException e) {
            throw new GatewayException(400, "invalid_request_error", "invalid_wasm_module", message(e));
        }
    }

    private LocalResponse delete(IncomingRequest request) {
        LoadedModule removed = registry().remove(request.pathParams().get("id"))
                .orElseThrow(() -> notFound(request.pathParams().get("id")));
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", removed.id()).put("name", removed.name()).put("deleted", true);
        return json(200, root);
    }

    /** Body {@code {"hook":"on_response"}}. */
    private LocalResponse attach(IncomingRequest request, boolean attach) {
        LoadedModule module = module(request);
        JsonNode body = parse(request.body());
        if (!body.path("hook").isTextual()) {
            throw badRequest("send {\"hook\":\"on_request\"} or {\"hook\":\"on_response\"}");
        }
        try {
            Hook hook = Hook.parse(body.get("hook").asText());
            if (attach) {
                module.attach(hook);
            } else {
                module.detach(hook);
            }
        } catch (IllegalArgumentException | InvalidModuleException e) {
            throw new GatewayException(400, "invalid_request_error", "invalid_hook", e.getMessage());
        }
        return json(200, ModuleListing.one(MAPPER, module));
    }

    private LoadedModule module(IncomingRequest request) {
        String id = request.pathParams().get("id");
        return registry().find(id).orElseThrow(() -> notFound(id));
    }

    private static ModuleRegistry registry() {
        return WasmRuntimes.current().orElseThrow(() -> new GatewayException(404, "invalid_request_error",
                "wasm_not_enabled", "WASM middleware is not enabled: add '- name: wasm' to the manifest's middleware list"));
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw badRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw badRequest("the body is not valid JSON");
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw badRequest(key + " must be an integer");
        }
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** Jackson wraps a record's validation message; the operator wants the message itself. */
    private static String message(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause instanceof IllegalArgumentException || cause instanceof InvalidModuleException
                ? cause.getMessage() : e.getMessage().lines().findFirst().orElse(e.toString());
    }

    private static GatewayException badRequest(String message) {
        return GatewayException.badRequest("invalid_request", null, message);
    }

    private static GatewayException notFound(String id) {
        return new GatewayException(404, "invalid_request_error", "wasm_module_not_found", "no wasm module '" + id + "'");
    }

    private static LocalResponse json(int status, JsonNode body) {
        try {
            return LocalResponse.json(status, MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
