package dev.shepherd.kernel.manifest;

import java.util.List;

/**
 * The {@code server} section: the listener and request limits. Defaults are SMG's.
 *
 * @param host bind address ({@code 0.0.0.0})
 * @param port listen port (30000)
 * @param maxPayloadSize largest accepted request body in bytes (536870912); larger bodies get 413
 * @param requestTimeoutSecs the whole budget of one request (1800)
 * @param shutdownGracePeriodSecs how long shutdown waits for in-flight requests (180)
 * @param ioThreads Undertow I/O threads (0 = one per core)
 * @param apiKey SMG's {@code --api-key}: sent to workers without their own key, and the admin key
 *               when no control-plane keys are configured
 * @param controlPlaneApiKeys SMG's {@code id:name:role:key} entries; callers of admin routes must
 *                            present a key with role {@code admin}
 * @param requestIdHeaders headers a client's request id is read from ({@code x-request-id})
 */
public record ServerSection(String host, Integer port, Long maxPayloadSize, Integer requestTimeoutSecs,
                            Integer shutdownGracePeriodSecs, Integer ioThreads, String apiKey,
                            List<String> controlPlaneApiKeys, List<String> requestIdHeaders) {

    public ServerSection {
        host = host == null ? "0.0.0.0" : host;
        port = port == null ? 30000 : port;
        maxPayloadSize = maxPayloadSize == null ? 536_870_912L : maxPayloadSize;
        requestTimeoutSecs = requestTimeoutSecs == null ? 1800 : requestTimeoutSecs;
        shutdownGracePeriodSecs = shutdownGracePeriodSecs == null ? 180 : shutdownGracePeriodSecs;
        ioThreads = ioThreads == null ? 0 : ioThreads;
        controlPlaneApiKeys = controlPlaneApiKeys == null ? List.of() : List.copyOf(controlPlaneApiKeys);
        requestIdHeaders = requestIdHeaders == null || requestIdHeaders.isEmpty()
                ? List.of("x-request-id") : requestIdHeaders.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (maxPayloadSize <= 0) {
            throw new IllegalArgumentException("max_payload_size must be positive, got " + maxPayloadSize);
        }
        if (requestTimeoutSecs <= 0) {
            throw new IllegalArgumentException("request_timeout_secs must be positive, got " + requestTimeoutSecs);
        }
        if (shutdownGracePeriodSecs < 0) {
            throw new IllegalArgumentException("shutdown_grace_period_secs must not be negative");
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("io_threads must not be negative");
        }
        for (String entry : controlPlaneApiKeys) {
            if (entry.split(":", 4).length != 4) {
                throw new IllegalArgumentException("control_plane_api_keys entries are id:name:role:key");
            }
        }
    }
}
