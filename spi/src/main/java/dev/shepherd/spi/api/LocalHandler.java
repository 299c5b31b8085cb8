package dev.shepherd.spi.api;

import java.util.concurrent.CompletionStage;

/** Answers a {@link Endpoint.Local} route. Called on an I/O thread: hop off it before blocking. */
@FunctionalInterface
public interface LocalHandler {

    CompletionStage<LocalResponse> handle(IncomingRequest request);
}
