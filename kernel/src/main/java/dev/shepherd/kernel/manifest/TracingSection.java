package dev.shepherd.kernel.manifest;

import dev.shepherd.kernel.observe.tracing.TracingOptions;

/**
 * The {@code observability.tracing} section: OpenTelemetry traces exported over OTLP/HTTP.
 *
 * @param enabled record and export a trace per request ({@code --enable-trace}; false)
 * @param otlpTracesEndpoint the collector's OTLP/HTTP receiver: SMG's {@code host:port}
 *     ({@code http://host:port/v1/traces}) or an http(s) URL, {@code /v1/traces} added when it has no
 *     path ({@code --otlp-traces-endpoint}; {@code localhost:4318}). Shepherd speaks OTLP over HTTP
 *     (protobuf), not gRPC: point it at the collector's HTTP port (4318), not its gRPC port (4317).
 * @param samplingRatio share of new traces recorded, 0 to 1 (1.0); requests that arrive with a
 *     {@code traceparent} follow the caller's decision
 * @param serviceName the {@code service.name} resource attribute ({@code smg})
 */
public record TracingSection(Boolean enabled, String otlpTracesEndpoint, Double samplingRatio, String serviceName) {

    public TracingSection {
        enabled = enabled != null && enabled;
        otlpTracesEndpoint = otlpTracesEndpoint == null || otlpTracesEndpoint.isBlank()
                ? TracingOptions.DEFAULT_ENDPOINT : otlpTracesEndpoint.strip();
        samplingRatio = samplingRatio == null ? 1.0 : samplingRatio;
        serviceName = serviceName == null || serviceName.isBlank() ? TracingOptions.DEFAULT_SERVICE_NAME : serviceName.strip();
        // Validates the ratio and, when enabled, the endpoint, so a bad value stops start-up with its line.
        TracingOptions.of(enabled, otlpTracesEndpoint, samplingRatio, serviceName);
    }

    /** Tracing off, defaults everywhere. */
    public static TracingSection defaults() {
        return new TracingSection(null, null, null, null);
    }

    /** What {@code Tracing.start} takes. */
    public TracingOptions toOptions() {
        return TracingOptions.of(enabled, otlpTracesEndpoint, samplingRatio, serviceName);
    }
}
