package dev.shepherd.kernel.observe.tracing;

import java.time.Duration;

/**
 * How traces are made and exported.
 *
 * @param enabled whether spans are recorded and exported at all ({@code --enable-trace}); when false
 *     nothing is created per request and plugins get a no-op tracer
 * @param endpoint the OTLP/HTTP collector: {@code host:port} or an http(s) URL, see {@link OtlpEndpoint}
 *     ({@code --otlp-traces-endpoint}, default {@value #DEFAULT_ENDPOINT})
 * @param samplingRatio the share of new traces recorded, 0..1 (default 1); a request that arrives with a
 *     {@code traceparent} follows its caller's sampling decision
 * @param serviceName the {@code service.name} resource attribute (default {@value #DEFAULT_SERVICE_NAME})
 * @param exportInterval longest time a finished span waits in the batch before it is sent (default 2 s)
 */
public record TracingOptions(boolean enabled, String endpoint, double samplingRatio, String serviceName,
                             Duration exportInterval) {

    public static final String DEFAULT_ENDPOINT = "localhost:4318";
    public static final String DEFAULT_SERVICE_NAME = "smg";
    public static final Duration DEFAULT_EXPORT_INTERVAL = Duration.ofSeconds(2);

    public TracingOptions {
        endpoint = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip();
        serviceName = serviceName == null || serviceName.isBlank() ? DEFAULT_SERVICE_NAME : serviceName.strip();
        exportInterval = exportInterval == null ? DEFAULT_EXPORT_INTERVAL : exportInterval;
        if (!(samplingRatio >= 0.0 && samplingRatio <= 1.0)) {
            throw new IllegalArgumentException("sampling_ratio must be between 0 and 1; got " + samplingRatio);
        }
        if (exportInterval.isNegative() || exportInterval.isZero()) {
            throw new IllegalArgumentException("the export interval must be positive; got " + exportInterval);
        }
        if (enabled) {
            OtlpEndpoint.tracesUrl(endpoint);
        }
    }

    /** Tracing on or off with the given endpoint, sampling ratio and service name; the rest default. */
    public static TracingOptions of(boolean enabled, String endpoint, double samplingRatio, String serviceName) {
        return new TracingOptions(enabled, endpoint, samplingRatio, serviceName, null);
    }

    /** Tracing off. */
    public static TracingOptions disabled() {
        return of(false, null, 1.0, null);
    }

    /** The URL spans are posted to. */
    public String tracesUrl() {
        return OtlpEndpoint.tracesUrl(endpoint);
    }
}
