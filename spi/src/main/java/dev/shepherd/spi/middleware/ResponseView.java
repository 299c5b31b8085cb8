package dev.shepherd.spi.middleware;

import dev.shepherd.spi.Headers;

/**
 * A worker's answer as middleware sees it.
 *
 * @param status HTTP status
 * @param headers response headers
 * @param body the whole body, or one SSE event's bytes when called per stream event
 * @param streamEvent true when {@code body} is one event of a stream
 */
public record ResponseView(int status, Headers headers, byte[] body, boolean streamEvent) {
}
