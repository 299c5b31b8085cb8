package dev.shepherd.kernel.observe.tracing;

import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's OpenTelemetry: an SDK exporting spans over OTLP/HTTP (protobuf, sent with the JDK's
 * HTTP client) through a {@link BatchSpanProcessor}, a parent-based ratio sampler, resource
 * {@code service.name}, and W3C trace-context plus baggage propagation. Disabled, it is OpenTelemetry's
 * no-op: {@link #tracer()} makes no spans and {@link #observer()} observes nothing.
 *
 * <p>One per gateway: create it before the plugins (they get {@link #tracer()}), hand {@link #observer()}
 * to the request path, and {@link #close()} it after the server has drained so the last spans are sent.
 * Nothing is registered globally.
 */
public final class Tracing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final String INSTRUMENTATION_SCOPE = "dev.shepherd";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** W3C {@code traceparent}/{@code tracestate} and {@code baggage}. */
    public static final ContextPropagators W3C = ContextPropagators.create(TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));

    private final TracingOptions options;
    private final OpenTelemetry openTelemetry;
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final RequestObserver observer;

    private Tracing(TracingOptions options, OpenTelemetry openTelemetry, SdkTracerProvider provider) {
        this.options = options;
        this.openTelemetry = openTelemetry;
        this.provider = provider;
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        this.observer = provider == null ? start -> ObservedRequest.NONE
                : new TracingObserver(tracer, openTelemetry.getPropagators().getTextMapPropagator());
    }

    /** Starts tracing as {@code options} say: the OTLP exporter when enabled, the no-op otherwise. */
    public static Tracing start(TracingOptions options) {
        if (!options.enabled()) {
            return disabled();
        }
        String url = options.tracesUrl();
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(url)
                .setTimeout(Duration.ofSeconds(10))
                .setMeterProvider(MeterProvider::noop)
                .setMemoryMode(MemoryMode.REUSABLE_DATA)
                .build();
        BatchSpanProcessor batch = BatchSpanProcessor.builder(exporter)
                .setScheduleDelay(options.exportInterval())
                .setMaxQueueSize(8192)
                .setMaxExportBatchSize(512)
                .setMeterProvider(MeterProvider::noop)
                .build();
        Tracing tracing = withProcessor(options, batch);
        LOG.info("tracing: exporting {} of new traces as service '{}' to {} (OTLP/HTTP protobuf)",
                ratio(options.samplingRatio()), options.serviceName(), url);
        return tracing;
    }

    /**
     * Tracing that hands every finished span to {@code processor} (tests give an in-memory exporter's
     * simple processor); sampling, resource and propagation as {@code options} say.
     */
    public static Tracing withProcessor(TracingOptions options, SpanProcessor processor) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, options.serviceName()))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(options.samplingRatio())))
                .addSpanProcessor(processor)
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).setPropagators(W3C).build();
        return new Tracing(options, sdk, provider);
    }

    /** No tracing: no-op tracer, no observation, nothing exported. */
    public static Tracing disabled() {
        return new Tracing(TracingOptions.disabled(), OpenTelemetry.propagating(W3C), null);
    }

    public boolean enabled() {
        return provider != null;
    }

    public TracingOptions options() {
        return options;
    }

    /** The tracer plugins get through {@code PluginContext.tracer()}; a no-op when tracing is off. */
    public Tracer tracer() {
        return tracer;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /**
     * The request observer that makes one trace per request; observes nothing when tracing is off.
     * Give it to {@code AccessLogObserver} (which then correlates log lines with the trace) rather than
     * to the observer list directly, or to the list when there is no access log.
     */
    public RequestObserver observer() {
        return observer;
    }

    /** Sends the spans still waiting now. */
    public CompletableResultCode flush() {
        return provider == null ? CompletableResultCode.ofSuccess() : provider.forceFlush();
    }

    /** Sends what is still waiting (bounded wait) and stops the exporter. */
    @Override
    public void close() {
        if (provider == null) {
            return;
        }
        CompletableResultCode done = provider.shutdown().join(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!done.isSuccess()) {
            LOG.warn("tracing: not every span could be exported at shutdown");
        }
    }

    private static String ratio(double samplingRatio) {
        return samplingRatio == 1.0 ? "all" : Math.round(samplingRatio * 10000) / 100.0 + "%";
    }
}
