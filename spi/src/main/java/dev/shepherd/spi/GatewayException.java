package dev.shepherd.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that the gateway answers with a specific HTTP status and an OpenAI-shaped error body
 * ({@code {"error":{"message","type","code","param"}}}). Plugins throw it for bad input, unknown
 * models and the like; the kernel renders it in the shape of the API that was called.
 */
public class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Duration retryAfter;

    public GatewayException(int status, String type, String code, String param, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    public GatewayException(int status, String type, String code, String message) {
        this(status, type, code, null, message, null);
    }

    /** 400 {@code invalid_request_error}, naming the offending parameter when known. */
    public static GatewayException badRequest(String code, String param, String message) {
        return new GatewayException(400, "invalid_request_error", code, param, message, null);
    }

    /** 404 for a model no registered worker serves. */
    public static GatewayException modelNotFound(String model) {
        return new GatewayException(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + model + "' does not exist or no worker serves it", null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public Optional<String> param() {
        return Optional.ofNullable(param);
    }

    /** Sent as {@code Retry-After} (whole seconds, rounded up) on 429 and 503 answers. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
