package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.core.JsonToken;

/** The JSON value kinds a field can hold, named as OpenAI error messages name them. */
enum JsonValueType {
    // Declaration order is the order error messages list accepted kinds in ("a string or an array").
    STRING("a string"),
    ARRAY("an array"),
    OBJECT("an object"),
    NUMBER("a number"),
    BOOLEAN("a boolean"),
    NULL("null");

    private final String description;

    JsonValueType(String description) {
        this.description = description;
    }

    /** The kind of value that starts with {@code token}, which must start a value. */
    static JsonValueType of(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> OBJECT;
            case START_ARRAY -> ARRAY;
            case VALUE_STRING -> STRING;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            case VALUE_NULL -> NULL;
            // Embedded objects never come out of a text parser; field names and end markers do not start values.
            default -> throw new IllegalArgumentException("not the start of a value: " + token);
        };
    }

    /** With its article, as in "expected a string". */
    String description() {
        return description;
    }
}
