package dev.shepherd.plugin.api.openai;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a top-level body field may hold. Checked on the streaming parser's first token of the value,
 * so checking costs nothing beyond reading the body once.
 *
 * @param accepted the value kinds allowed; {@code null} is allowed only when listed
 * @param nonEmptyArray when the value is an array, it must have at least one element
 */
record FieldRule(Set<JsonValueType> accepted, boolean nonEmptyArray) {

    FieldRule {
        // An EnumSet keeps declaration order, so messages list the kinds the same way every time.
        accepted = Collections.unmodifiableSet(EnumSet.copyOf(accepted));
    }

    static FieldRule oneOf(JsonValueType first, JsonValueType... rest) {
        return new FieldRule(EnumSet.of(first, rest), false);
    }

    static FieldRule anyNonEmptyArray() {
        return new FieldRule(EnumSet.of(JsonValueType.ARRAY), true);
    }

    boolean accepts(JsonValueType type) {
        return accepted.contains(type);
    }

    /** The accepted kinds for an error message, e.g. "a string or an array". */
    String expected() {
        List<String> parts = accepted.stream().map(JsonValueType::description).toList();
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }
}
