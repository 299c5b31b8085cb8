package dev.shepherd.spi.middleware;

import java.util.List;
import java.util.Map;

/** What a middleware hook decided: a closed set. */
public sealed interface HookResult {

    /** Go on unchanged. */
    enum Continue implements HookResult {
        INSTANCE
    }

    /**
     * Go on with changes. Null fields mean unchanged.
     *
     * @param status a new status (response hooks only)
     * @param setHeaders headers to set, replacing existing values
     * @param removeHeaders header names to remove
     * @param body a new body
     */
    record Modify(Integer status, Map<String, String> setHeaders, List<String> removeHeaders, byte[] body)
            implements HookResult {
        public Modify {
            setHeaders = setHeaders == null ? Map.of() : Map.copyOf(setHeaders);
            removeHeaders = removeHeaders == null ? List.of() : List.copyOf(removeHeaders);
        }
    }

    /**
     * Stop and answer the client with this response instead.
     *
     * @param status HTTP status
     * @param headers response headers
     * @param body response body
     */
    record Respond(int status, Map<String, String> headers, byte[] body) implements HookResult {
        public Respond {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }
}
