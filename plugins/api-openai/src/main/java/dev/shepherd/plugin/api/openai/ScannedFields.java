package dev.shepherd.plugin.api.openai;

/**
 * What routing needs from a body, read by {@link RequestBodyScanner} without building a tree.
 *
 * @param model the top-level {@code model}, or "" when absent or null
 * @param stream the top-level {@code stream}, false when absent or null
 */
record ScannedFields(String model, boolean stream) {
}
