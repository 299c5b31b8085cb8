package dev.shepherd.spi.api;

/**
 * One route of an {@link Api}. Paths are exact, or templates with {@code {name}} segments for
 * local endpoints (bound into {@link IncomingRequest#pathParams()}).
 */
public sealed interface Endpoint {

    String method();

    String path();

    /**
     * A route that is parsed into a {@link dev.shepherd.spi.ParsedRequest} and forwarded to a worker: the whole request
     * path (auth, admission, middleware, routing, retries) applies.
     */
    record Inference(String method, String path, RequestParser parser) implements Endpoint {
    }

    /**
     * A route the API answers itself (e.g. {@code GET /v1/models}), after auth. {@code admin} routes
     * require an admin caller when an admin key is configured.
     */
    record Local(String method, String path, boolean admin, LocalHandler handler) implements Endpoint {
    }
}
