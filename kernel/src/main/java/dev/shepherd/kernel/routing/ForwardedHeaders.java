package dev.shepherd.kernel.routing;

import dev.shepherd.spi.Headers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client headers a worker may see, as SMG forwards them: authorization, request and correlation
 * ids, W3C trace context and the sticky routing key. Everything else stays at the gateway. The
 * request id is always the gateway's own, so worker logs join gateway logs.
 */
final class ForwardedHeaders {

    private static final List<String> ALLOWED = List.of("authorization", "x-correlation-id", "traceparent",
            "tracestate", "x-smg-routing-key", "content-type", "accept");

    private ForwardedHeaders() {
    }

    /** Framing and identity headers stay the gateway's, whatever middleware set. */
    private static final java.util.Set<String> NOT_FROM_MIDDLEWARE = java.util.Set.of("x-request-id", "host",
            "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer");

    /** Like {@link #of(Headers, String)}, plus the headers middleware set on the request. */
    static Map<String, List<String>> of(Headers client, String requestId, Map<String, String> fromMiddleware) {
        Map<String, List<String>> out = of(client, requestId);
        fromMiddleware.forEach((name, value) -> {
            if (!NOT_FROM_MIDDLEWARE.contains(name)) {
                out.put(name, List.of(value));
            }
        });
        return out;
    }

    /** A new, mutable map of the forwarded headers (observers may add trace context before it is sent). */
    static Map<String, List<String>> of(Headers client, String requestId) {
        Map<String, List<String>> out = new HashMap<>(16);
        for (String name : ALLOWED) {
            List<String> values = client.values().get(name);
            if (values != null && !values.isEmpty()) {
                out.put(name, values);
            }
        }
        out.put("x-request-id", List.of(requestId));
        return out;
    }
}
