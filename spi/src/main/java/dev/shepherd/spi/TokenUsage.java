package dev.shepherd.spi;

/**
 * Token counts of one answer, as the worker reported them.
 *
 * @param promptTokens tokens of the prompt
 * @param completionTokens tokens generated
 * @param cachedTokens prompt tokens served from the engine's prefix cache (0 when not reported)
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedTokens) {
}
