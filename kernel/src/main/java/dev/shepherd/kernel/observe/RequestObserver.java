package dev.shepherd.kernel.observe;

/**
 * Watches every request on its way through the gateway. Metrics, traces and access logs are
 * observers; the request path calls them and knows nothing of what they do.
 */
@FunctionalInterface
public interface RequestObserver {

    /** Called first for every request, on its I/O thread. Must be cheap and must not block. */
    ObservedRequest begin(RequestStart start);
}
