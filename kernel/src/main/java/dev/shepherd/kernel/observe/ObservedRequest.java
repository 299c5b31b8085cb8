package dev.shepherd.kernel.observe;

import dev.shepherd.spi.TokenUsage;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Map;

/**
 * One request's observation. Calls arrive in order on the request's I/O thread; implementations must
 * be cheap and must not block. Every method has a no-op default.
 */
public interface ObservedRequest {

    /** Observes nothing. */
    ObservedRequest NONE = new ObservedRequest() {
    };

    /** Code that logs on behalf of this request runs between enter and exit (request and trace ids in logs). */
    default void enter() {
    }

    default void exit() {
    }

    /** Admission let the request in after {@code queuedNanos} in the queue (0 when not queued). */
    default void admitted(String tenant, String priorityClass, long queuedNanos) {
    }

    /** The body was parsed. */
    default void parsed(String model, String kind, boolean stream) {
    }

    /**
     * An attempt is about to be sent to {@code worker}; {@code outgoingHeaders} may be added to
     * (trace context).
     */
    default void attemptStarted(Worker worker, String policy, int attempt, Map<String, List<String>> outgoingHeaders) {
    }

    /**
     * An attempt ended: {@code status} is the worker's status (-1 when no answer), {@code failure} the
     * failure kind when it failed without an answer, else null.
     */
    default void attemptFinished(Worker worker, int attempt, int status, UpstreamFailure.Kind failure) {
    }

    /** A failed attempt will be retried after {@code backoffMillis}. */
    default void retryScheduled(Worker failed, int attempt, long backoffMillis) {
    }

    /** A stream broke on {@code failed} after {@code tokens} tokens and continues on another worker. */
    default void streamResumed(Worker failed, int tokens) {
    }

    /** The answer's head went to the client. */
    default void responseStarted(int status, boolean streaming) {
    }

    /**
     * What was generated: tokens counted in a stream (0 when not streamed), when the first and last
     * arrived ({@link System#nanoTime()}, 0 when unknown) and the worker's reported usage (may be null).
     */
    default void generated(int streamedTokens, long firstTokenNanos, long lastTokenNanos, TokenUsage usage) {
    }

    /**
     * The exchange ended with {@code status} (499 when the client went away) and the gateway's error
     * code when the gateway answered an error itself (else null).
     */
    default void completed(int status, String errorCode) {
    }
}
