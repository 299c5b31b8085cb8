package dev.shepherd.spi.backend;

/**
 * Why a call to a worker failed.
 *
 * @param kind the class of failure, which decides whether a retry is safe
 * @param message a human-readable cause
 */
public record UpstreamFailure(Kind kind, String message) {

    public enum Kind {
        /** The connection could not be made: nothing reached the worker. Always safe to retry. */
        CONNECT,
        /** A deadline passed: connect, first byte, idle stream or total. */
        TIMEOUT,
        /** The connection broke after the request was sent. */
        RESET,
        /** The worker answered something that is not valid HTTP or SSE. */
        PROTOCOL,
        /** The gateway cancelled the call. */
        CANCELLED
    }
}
