package dev.shepherd.plugin.middleware.wasm;

import java.util.Locale;

/** A point of the request path a guest can attach to; its export has the same name. */
enum Hook {
    ON_REQUEST,
    ON_RESPONSE;

    String exportName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts {@code on_request}, {@code OnRequest} and SMG's {@code {"Middleware":"OnRequest"}} spelling. */
    static Hook parse(String value) {
        String normalized = value.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "onrequest" -> ON_REQUEST;
            case "onresponse" -> ON_RESPONSE;
            default -> throw new IllegalArgumentException("unknown hook '" + value + "' (expected on_request or on_response)");
        };
    }
}
