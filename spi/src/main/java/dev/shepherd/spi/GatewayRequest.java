package dev.shepherd.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * A request travelling through the gateway: what the client sent, as its API understood it, plus
 * what the kernel established about it (caller, priority, deadline). Implemented by the kernel;
 * passed to policies, middleware and backends. Not thread-safe; one request is handled by one
 * thread at a time.
 */
public interface GatewayRequest {

    /** The request id, echoed to the client in {@code x-request-id} and forwarded to the worker. */
    String id();

    /** The client's request headers. */
    Headers headers();

    /** The body as its API parsed it. Middleware that rewrites the body replaces this. */
    ParsedRequest parsed();

    /** The authenticated caller, when an authenticator ran. */
    Optional<Principal> principal();

    /** The tenant requests are accounted to; {@code default} without authentication. */
    String tenant();

    /** Scheduling priority: higher runs first when requests queue. */
    int priority();

    /** When the gateway gives up on this request. */
    Instant deadline();

    /** The sticky routing key of {@code X-SMG-Routing-Key}, when the client sent one. */
    default Optional<String> routingKey() {
        return Optional.ofNullable(headers().first("x-smg-routing-key"));
    }

    default String model() {
        return parsed().model();
    }

    default boolean stream() {
        return parsed().stream();
    }
}
