package dev.shepherd.plugin.api.openai;

/**
 * The {@code apis: openai:} manifest section.
 *
 * <pre>
 * apis:
 *   openai:
 *     owned_by: shepherd
 * </pre>
 *
 * Components are boxed so a missing key binds as {@code null}; the compact constructor applies
 * defaults and validates.
 *
 * @param ownedBy the {@code owned_by} of every entry that {@code GET /v1/models} lists
 */
public record OpenAiApiConfig(String ownedBy) {

    public static final String DEFAULT_OWNED_BY = "shepherd";

    public OpenAiApiConfig {
        if (ownedBy == null) {
            ownedBy = DEFAULT_OWNED_BY;
        } else if (ownedBy.isBlank()) {
            throw new IllegalArgumentException("owned_by must not be blank");
        }
    }

    /** The configuration of an empty or missing manifest section. */
    public static OpenAiApiConfig defaults() {
        return new OpenAiApiConfig(null);
    }
}
