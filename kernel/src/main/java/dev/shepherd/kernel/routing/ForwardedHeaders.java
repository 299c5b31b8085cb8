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
