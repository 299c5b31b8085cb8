package dev.shepherd.kernel.observe;

import dev.shepherd.spi.Headers;

/**
 * A request as it arrives.
 *
 * @param requestId the gateway's request id
 * @param method HTTP method
 * @param path the request path
 * @param route the matched route template ({@code /workers/{id}}), or {@code unmatched}: a bounded label
 * @param headers the client's headers (for trace context)
 * @param startNanos {@link System#nanoTime()} at arrival
 */
public record RequestStart(String requestId, String method, String path, String route, Headers headers, long startNanos) {
}
