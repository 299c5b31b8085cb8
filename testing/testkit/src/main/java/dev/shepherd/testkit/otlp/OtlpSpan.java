package dev.shepherd.testkit.otlp;

import java.util.List;
import java.util.Map;

/**
 * One span as an OTLP exporter sent it, decoded by {@link OtlpTraceDecoder}. Ids are lower-case hex
 * ({@code ""} when absent, e.g. a root span's parent); attribute values are {@code String},
 * {@code Boolean}, {@code Long} or {@code Double}; {@code events} holds the event names in order;
 * {@code resource} the attributes of the resource the span was exported under.
 */
public record OtlpSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
                       Map<String, Object> attributes, List<String> events, Map<String, Object> resource) {

    /** {@code Span.SpanKind} values of opentelemetry-proto that tests compare {@link #kind} with. */
    public static final int INTERNAL = 1;
    public static final int SERVER = 2;
    public static final int CLIENT = 3;

    /** The value of one span attribute, or null when the span has none by that key. */
    public Object attribute(String key) {
        return attributes.get(key);
    }
}
