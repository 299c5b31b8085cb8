package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.spi.middleware.HookResult;
import java.util.Map;

/** What a failed guest call turns into, per its module's failure mode. */
final class FailureAnswer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FailureAnswer() {
    }

    static HookResult of(LoadedModule module, GuestOutcome.Failed failure) {
        if (module.failureMode() == FailureMode.FAIL_OPEN) {
            return HookResult.Continue.INSTANCE;
        }
        // The client learns which module failed and how, not the guest's internals.
        return new HookResult.Respond(503, Map.of("content-type", "application/json"),
                errorBody("The WASM middleware '" + module.name() + "' failed (" + failure.kind().label() + ")",
                        "service_unavailable", "wasm_module_failed"));
    }

    /** An OpenAI-style error body: {@code {"error":{"message","type","code"}}}. */
    static byte[] errorBody(String message, String type, String code) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
