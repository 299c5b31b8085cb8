package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.middleware.HookResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a guest's action (ABI v1, "Actions") into the closed {@link HookResult} set. Header names must be
 * HTTP tokens and values must not contain line breaks (no response splitting); headers that frame the
 * message ({@code content-length}, {@code transfer-encoding}, ...) belong to the gateway and are ignored.
 */
final class ActionCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    private static final Set<String> GATEWAY_OWNED = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "host");

    private ActionCodec() {
    }

    /** Thrown for output that is not a valid action. */
    static final class BadActionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadActionException(String message) {
            super(message, null, false, false);
        }
    }

    static HookResult decode(byte[] output) {
        if (output == null || output.length == 0) {
            return HookResult.Continue.INSTANCE;
        }
        JsonNode action;
        try {
            action = MAPPER.readTree(output);
        } catch (IOException e) {
            throw new BadActionException("the action is not JSON");
        }
        if (action == null || !action.isObject()) {
            throw new BadActionException("the action must be a JSON object");
        }
        return switch (action.path("action").asText("")) {
            case "continue" -> HookResult.Continue.INSTANCE;
            case "modify" -> new HookResult.Modify(status(action, false), headers(action.get("set_headers")),
                    names(action.get("remove_headers")), body(action));
            case "respond" -> new HookResult.Respond(status(action, true), headers(action.get("headers")),
                    body(action) == null ? new byte[0] : body(action));
            default -> throw new BadActionException("unknown action '" + action.path("action").asText("") + "'");
        };
    }

    private static Integer status(JsonNode action, boolean required) {
        JsonNode status = action.get("status");
        if (status == null || status.isNull()) {
            if (required) {
                throw new BadActionException("respond needs a status");
            }
            return null;
        }
        if (!status.canConvertToInt() || status.asInt() < 100 || status.asInt() > 599) {
            throw new BadActionException("status must be 100..599");
        }
        return status.asInt();
    }

    private static byte[] body(JsonNode action) {
        JsonNode body = action.get("body");
        if (body == null || body.isNull()) {
            return null;
        }
        if (!body.isTextual()) {
            throw new BadActionException("body must be a string");
        }
        return body.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw new BadActionException("headers must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> header : node.properties()) {
            String name = headerName(header.getKey());
            JsonNode value = header.getValue();
            if (!value.isTextual() || value.asText().indexOf('\r') >= 0 || value.asText().indexOf('\n') >= 0) {
                throw new BadActionException("header " + name + " needs a single-line string value");
            }
            if (!GATEWAY_OWNED.contains(name)) {
                headers.put(name, value.asText());
            }
        }
        return headers;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node == null || node.isNull()) {
            return names;
        }
        if (!node.isArray()) {
            throw new BadActionException("remove_headers must be an array of names");
        }
        for (JsonNode name : node) {
            String lower = headerName(name.asText());
            if (!GATEWAY_OWNED.contains(lower)) {
                names.add(lower);
            }
        }
        return names;
    }

    private static String headerName(String name) {
        if (!TOKEN.matcher(name).matches()) {
            throw new BadActionException("'" + name + "' is not a valid header name");
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
