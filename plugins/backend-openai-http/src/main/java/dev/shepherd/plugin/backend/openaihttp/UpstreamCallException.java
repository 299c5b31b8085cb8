package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.backend.UpstreamFailure;

/** Completes a future exceptionally with the failure of a call the backend made on its own behalf. */
final class UpstreamCallException extends RuntimeException {

    private final transient UpstreamFailure failure;

    UpstreamCallException(UpstreamFailure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    UpstreamFailure failure() {
        return failure;
    }
}
