package dev.shepherd.spi.api;

import dev.shepherd.spi.GatewayException;
import java.util.List;
import java.util.Optional;

/**
 * A family of client-facing endpoints. Thread-safe: the kernel calls it from many I/O threads.
 * Two APIs must not declare the same method and path; the kernel refuses to start if they do.
 */
public interface Api {

    /** The endpoints this API serves. Read once at start-up. */
    List<Endpoint> endpoints();

    /**
     * The error body for a failure on one of this API's endpoints, when its shape differs from the
     * OpenAI one ({@code {"error":{"message","type","code","param"}}}) that the kernel renders by default.
     */
    default Optional<byte[]> errorBody(GatewayException error) {
        return Optional.empty();
    }
}
