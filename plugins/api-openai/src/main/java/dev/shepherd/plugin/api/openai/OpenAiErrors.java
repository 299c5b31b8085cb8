package dev.shepherd.plugin.api.openai;

import dev.shepherd.spi.GatewayException;
import java.util.List;

/**
 * The client errors this API raises, with the codes and wording OpenAI uses so that SDKs and users
 * see what they would see from OpenAI itself.
 */
final class OpenAiErrors {

    static final String INVALID_JSON = "invalid_json";
    static final String MISSING_REQUIRED_PARAMETER = "missing_required_parameter";
    static final String INVALID_TYPE = "invalid_type";
    static final String EMPTY_ARRAY = "empty_array";
    static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

    private OpenAiErrors() {
    }

    /** 400: the body is empty, not JSON, or not a JSON object. */
    static GatewayException invalidJson(String message) {
        return GatewayException.badRequest(INVALID_JSON, null, message);
    }

    /** 400: none of {@code fields} is present; the first one is named as the parameter. */
    static GatewayException missingParameter(List<String> fields) {
        List<String> quoted = fields.stream().map(f -> "'" + f + "'").toList();
        String what = quoted.size() == 1 ? quoted.get(0)
                : "one of " + String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
        return GatewayException.badRequest(MISSING_REQUIRED_PARAMETER, fields.get(0),
                "Missing required parameter: " + what + ".");
    }

    /** 400: a field holds the wrong kind of value. */
    static GatewayException invalidType(String field, String expected, JsonValueType actual) {
        return GatewayException.badRequest(INVALID_TYPE, field,
                "Invalid type for '" + field + "': expected " + expected + ", but got " + actual.description() + " instead.");
    }

    /** 400: an array that needs elements has none. */
    static GatewayException emptyArray(String field) {
        return GatewayException.badRequest(EMPTY_ARRAY, field,
                "Invalid '" + field + "': empty array. Expected an array with minimum length 1, but got an empty array instead.");
    }

    /** 415: the body is declared as something other than JSON. */
    static GatewayException unsupportedMediaType(String contentType) {
        return new GatewayException(415, "invalid_request_error", UNSUPPORTED_MEDIA_TYPE, null,
                "Unsupported Content-Type '" + contentType + "': send the request body as application/json.", null);
    }
}
