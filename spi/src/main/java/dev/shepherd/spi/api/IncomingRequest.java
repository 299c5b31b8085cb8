package dev.shepherd.spi.api;

import dev.shepherd.spi.Headers;
import java.util.Map;

/**
 * A client request as received, with its whole body.
 *
 * @param requestId the gateway's request id (the client's {@code x-request-id}, or generated)
 * @param method upper-case HTTP method
 * @param path the request path without the query
 * @param query the raw query string, empty when none
 * @param pathParams values of {@code {name}} segments of a template path
 * @param headers request headers
 * @param body the raw body; never modified by the kernel
 */
public record IncomingRequest(String requestId, String method, String path, String query,
                              Map<String, String> pathParams, Headers headers, byte[] body) {
}
