package dev.shepherd.spi.backend;

/** A handle on a call in progress. Methods may be called from any thread and are idempotent. */
public interface BackendCall {

    /** Aborts the call and releases its connection (e.g. the client went away). No further sink calls follow. */
    void cancel();

    /** Stops reading from the worker until {@link #resume()}: the client is slower than the worker. */
    void pause();

    void resume();
}
