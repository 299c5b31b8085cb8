package dev.shepherd.spi;

/**
 * What one server-sent event of an answer carries, as its API reads it.
 *
 * @param text generated text in this event ("" when none)
 * @param usage token counts when the event reports them (the final usage chunk), else null
 */
public record StreamEvent(String text, TokenUsage usage) {

    /** An event with neither text nor usage (role-only deltas, the [DONE] marker). */
    public static final StreamEvent EMPTY = new StreamEvent("", null);
}
