package dev.shepherd.plugin.api.openai;

import java.util.List;
import java.util.Map;

/**
 * What one endpoint checks in a body before routing it: the types of the top-level fields it knows
 * and which fields must be present. Anything deeper is the worker's to validate: the gateway only
 * refuses what it cannot route or what every engine would refuse anyway.
 *
 * @param fields rules for top-level fields by name; other fields are skipped unchecked
 * @param requiredOneOf at least one of these fields must be present (non-null); empty when none is required
 */
record BodySchema(Map<String, FieldRule> fields, List<String> requiredOneOf) {

    BodySchema {
        fields = Map.copyOf(fields);
        requiredOneOf = List.copyOf(requiredOneOf);
    }

    /** The rule for a top-level field, or null when the field is not checked. */
    FieldRule rule(String field) {
        return fields.get(field);
    }
}
