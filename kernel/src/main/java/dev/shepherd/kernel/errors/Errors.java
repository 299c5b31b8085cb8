package dev.shepherd.kernel.errors;

import dev.shepherd.spi.GatewayException;
import java.time.Duration;

/** The gateway's own errors, named once so their codes and wording stay consistent. */
public final class Errors {

    private Errors() {
    }

    public static GatewayException notFound(String method, String path) {
        return new GatewayException(404, "invalid_request_error", "not_found", null,
                "Unknown route: " + method + " " + path, null);
    }

    public static GatewayException methodNotAllowed(String method, String path) {
        return new GatewayException(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + method + " is not allowed on " + path, null);
    }

    public static GatewayException payloadTooLarge(long limit) {
        return new GatewayException(413, "invalid_request_error", "payload_too_large", null,
                "Request body exceeds the limit of " + limit + " bytes", null);
    }

    public static GatewayException unauthorized() {
        return new GatewayException(401, "authentication_error", "invalid_api_key", null,
                "A valid admin API key is required (Authorization: Bearer <key>)", null);
    }

    public static GatewayException forbidden() {
        return new GatewayException(403, "permission_error", "insufficient_permissions", null,
                "This key may not use admin routes", null);
    }

    public static GatewayException noAvailableWorkers(String model) {
        return new GatewayException(503, "service_unavailable", "no_available_workers", null,
                "No healthy worker is available" + (model.isEmpty() ? "" : " for model '" + model + "'"),
                Duration.ofSeconds(1));
    }

    public static GatewayException upstreamFailed(String detail) {
        return new GatewayException(502, "upstream_error", "bad_gateway", null,
                "The worker failed to answer: " + detail, null);
    }

    public static GatewayException upstreamTimeout(String detail) {
        return new GatewayException(504, "upstream_error", "gateway_timeout", null,
                "The worker did not answer in time: " + detail, null);
    }

    public static GatewayException draining() {
        return new GatewayException(503, "service_unavailable", "shutting_down", null,
                "The gateway is shutting down", Duration.ofSeconds(1));
    }

    public static GatewayException internal(Throwable cause) {
        return new GatewayException(500, "internal_error", "internal_error", null,
                "Internal error: " + cause.getClass().getSimpleName(), null);
    }
}
