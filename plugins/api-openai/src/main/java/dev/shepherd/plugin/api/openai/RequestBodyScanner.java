package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.shepherd.spi.GatewayException;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads a request body once with Jackson's streaming parser: picks up the top-level {@code model} and
 * {@code stream}, checks the fields a {@link BodySchema} names, and skips every other value without
 * materialising it. Nested keys called {@code model} or {@code stream} are never looked at, because
 * only fields at depth one are examined. Skipping still tokenises the whole body, so malformed JSON
 * anywhere in it is refused here, before the request is routed.
 *
 * <p>Runs on an I/O thread for every request: no tree, no strings beyond the two fields it keeps.
 * Stateless and thread-safe.
 */
final class RequestBodyScanner {

    private static final String MODEL = "model";
    private static final String STREAM = "stream";
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)]");

    private final JsonFactory jsonFactory;
    private final BodySchema schema;

    RequestBodyScanner(JsonFactory jsonFactory, BodySchema schema) {
        this.jsonFactory = jsonFactory;
        this.schema = schema;
    }

    /**
     * Scans {@code body}.
     *
     * @throws GatewayException 400 {@code invalid_json} for an empty, malformed or non-object body;
     *     400 {@code invalid_type}, {@code empty_array} or {@code missing_required_parameter} naming the field
     */
    ScannedFields scan(byte[] body) {
        if (body == null || body.length == 0) {
            throw OpenAiErrors.invalidJson("The request body is empty; expected a JSON object.");
        }
        try (JsonParser parser = jsonFactory.createParser(body)) {
            return scanObject(parser);
        } catch (JsonProcessingException e) {
            throw OpenAiErrors.invalidJson("The request body is not valid JSON: " + plainLocations(e.getOriginalMessage())
                    + describe(e.getLocation()) + ".");
        } catch (IOException e) {
            // A byte-array source does no I/O: what remains is an undecodable encoding (CharConversionException).
            throw OpenAiErrors.invalidJson("The request body is not valid JSON: " + e.getMessage() + ".");
        }
    }

    private ScannedFields scanObject(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw OpenAiErrors.invalidJson("The request body is empty; expected a JSON object.");
        }
        if (first != JsonToken.START_OBJECT) {
            throw OpenAiErrors.invalidJson("The request body must be a JSON object, but got "
                    + JsonValueType.of(first).description() + " instead.");
        }
        String model = "";
        boolean stream = false;
        boolean requiredSeen = false;
        // Inside an object the parser yields only field names until the closing END_OBJECT (or throws).
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonValueType type = JsonValueType.of(parser.nextToken());
            switch (field) {
                case MODEL -> model = readModel(parser, type);
                case STREAM -> stream = readStream(parser, type);
                default -> {
                    FieldRule rule = schema.rule(field);
                    if (rule != null) {
                        check(parser, field, type, rule);
                        // A null counts as absent (only fields whose rule accepts null get here with one).
                        requiredSeen |= type != JsonValueType.NULL && schema.requiredOneOf().contains(field);
                    }
                }
            }
            parser.skipChildren();
        }
        if (parser.nextToken() != null) {
            throw OpenAiErrors.invalidJson("The request body has content after the JSON object"
                    + describe(parser.currentTokenLocation()) + ".");
        }
        if (!requiredSeen && !schema.requiredOneOf().isEmpty()) {
            throw OpenAiErrors.missingParameter(schema.requiredOneOf());
        }
        return new ScannedFields(model, stream);
    }

    /** A null model counts as absent: some clients serialise every optional field. Last occurrence wins, as in a tree. */
    private static String readModel(JsonParser parser, JsonValueType type) throws IOException {
        return switch (type) {
            case STRING -> parser.getText();
            case NULL -> "";
            default -> throw OpenAiErrors.invalidType(MODEL, JsonValueType.STRING.description(), type);
        };
    }

    private static boolean readStream(JsonParser parser, JsonValueType type) throws IOException {
        return switch (type) {
            case BOOLEAN -> parser.getBooleanValue();
            case NULL -> false;
            default -> throw OpenAiErrors.invalidType(STREAM, JsonValueType.BOOLEAN.description(), type);
        };
    }

    /** Leaves the parser on the value's last token (its END_ARRAY when it walked an array). */
    private static void check(JsonParser parser, String field, JsonValueType type, FieldRule rule) throws IOException {
        if (!rule.accepts(type)) {
            throw OpenAiErrors.invalidType(field, rule.expected(), type);
        }
        if (rule.nonEmptyArray() && type == JsonValueType.ARRAY) {
            JsonToken element = parser.nextToken();
            if (element == JsonToken.END_ARRAY) {
                throw OpenAiErrors.emptyArray(field);
            }
            while (element != JsonToken.END_ARRAY && element != null) {
                parser.skipChildren();
                element = parser.nextToken();
            }
        }
    }

    /**
     * Jackson names a second location inside some messages ("for Array starting at [Source: ...; line: 2,
     * column: 14]"); clients only need the line and column, and the source must not be echoed.
     */
    private static String plainLocations(String message) {
        return message == null ? "" : SOURCE_LOCATION.matcher(message).replaceAll("line $1, column $2");
    }

    private static String describe(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
