package dev.shepherd.spi.api;

import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.ParsedRequest;

/** Turns an incoming body into a {@link ParsedRequest}. Runs on an I/O thread: must not block. */
@FunctionalInterface
public interface RequestParser {

    /**
     * Parses what routing needs (model, stream flag) eagerly and the rest lazily.
     *
     * @throws GatewayException 400 for malformed or invalid input, naming the parameter at fault
     */
    ParsedRequest parse(IncomingRequest request);
}
