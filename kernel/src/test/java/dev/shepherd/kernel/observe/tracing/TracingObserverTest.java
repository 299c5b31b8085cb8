package dev.shepherd.kernel.observe.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.TokenUsage;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.testkit.fakes.FakeWorker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracingObserverTest {

    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String CLIENT_TRACEPARENT = "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01";

    private InMemorySpanExporter exporter;
    private Tracing tracing = tracing(1.0);

    private Tracing tracing(double ratio) {
        exporter = InMemorySpanExporter.create();
        return Tracing.withProcessor(TracingOptions.of(true, "localhost:4318", ratio, "smg-test"),
                SimpleSpanProcessor.create(exporter));
    }

    @AfterEach
    void close() {
        tracing.close();
        MDC.clear();
    }

    private static RequestStart start(String requestId, Map<String, String> headers) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        headers.forEach((k, v) -> values.put(k, List.of(v)));
        // The request arrived a little while ago: admission waits are measured back from now.
        return new RequestStart(requestId, "POST", "/v1/chat/completions", "/v1/chat/completions", new Headers(values),
                System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(20));
    }

    /** A client request with retries, streaming and usage, as the request path reports it. */
    private Map<String, List<String>> retriedStream(ObservedRequest r, List<Map<String, List<String>>> sent) {
        FakeWorker first = new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1");
        FakeWorker second = new FakeWorker("w2", "http://gpu2:8000", "worker-secret-key-w2");
        r.admitted("default", "normal", TimeUnit.MILLISECONDS.toNanos(3));
        r.parsed("sim-model", "chat", true);
        Map<String, List<String>> firstHeaders = forwarded();
        r.attemptStarted(first, "round_robin", 1, firstHeaders);
        sent.add(firstHeaders);
        r.attemptFinished(first, 1, 503, null);
        r.retryScheduled(first, 1, 50);
        Map<String, List<String>> secondHeaders = forwarded();
        r.attemptStarted(second, "round_robin", 2, secondHeaders);
        sent.add(secondHeaders);
        r.responseStarted(200, true);
        long firstToken = System.nanoTime();
        r.attemptFinished(second, 2, 200, null);
        r.generated(6, firstToken, System.nanoTime(), new TokenUsage(12, 6, 4));
        r.completed(200, null);
        return secondHeaders;
    }

    /** What ForwardedHeaders hands the observers: a mutable map with the client's trace headers copied. */
    private static Map<String, List<String>> forwarded() {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("traceparent", List.of(CLIENT_TRACEPARENT));
        headers.put("tracestate", List.of("vendor=abc"));
        headers.put("x-request-id", List.of("req-1"));
        return headers;
    }

    private SpanData only(String name) {
        List<SpanData> named = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named " + name).hasSize(1);
        return named.get(0);
    }

    private List<SpanData> all(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    @Test
    void theClientsTraceparentIsTheParentOfTheRequestSpan() {
        ObservedRequest r = tracing.observer().begin(start("req-1",
                Map.of("traceparent", CLIENT_TRACEPARENT, "tracestate", "vendor=abc")));
        retriedStream(r, new java.util.ArrayList<>());

        SpanData request = only("POST /v1/chat/completions");
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getTraceId()).isEqualTo(CLIENT_TRACE);
        assertThat(request.getParentSpanId()).isEqualTo(CLIENT_SPAN);
        assertThat(request.getParentSpanContext().isRemote()).isTrue();
        assertThat(request.getSpanContext().getTraceState().get("vendor")).isEqualTo("abc");
    }

    @Test
    void everyAttemptIsAClientSpanUnderTheRequestSpan() {
        ObservedRequest r = tracing.observer().begin(start("req-1", Map.of("traceparent", CLIENT_TRACEPARENT)));
        retriedStream(r, new java.util.ArrayList<>());

        SpanData request = only("POST /v1/chat/completions");
        List<SpanData> attempts = all("attempt");
        assertThat(attempts).hasSize(2);
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(a.getParentSpanId()).isEqualTo(request.getSpanId());
            assertThat(a.getTraceId()).isEqualTo(CLIENT_TRACE);
        });
        SpanData failed = attempts.stream().filter(a -> a.getAttributes().get(TracingObserver.ATTEMPT) == 1).findFirst().orElseThrow();
        SpanData served = attempts.stream().filter(a -> a.getAttributes().get(TracingObserver.ATTEMPT) == 2).findFirst().orElseThrow();
        assertThat(failed.getAttributes().get(TracingObserver.WORKER_URL)).isEqualTo("http://gpu1:8000");
        assertThat(failed.getAttributes().get(TracingObserver.HTTP_STATUS)).isEqualTo(503L);
        assertThat(failed.getAttributes().get(TracingObserver.OUTCOME)).isEqualTo("status_503");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(served.getAttributes().get(TracingObserver.WORKER_URL)).isEqualTo("http://gpu2:8000");
        assertThat(served.getAttributes().get(TracingObserver.OUTCOME)).isEqualTo("ok");
        assertThat(served.getAttributes().get(TracingObserver.POLICY)).isEqualTo("round_robin");
        assertThat(served.getStartEpochNanos()).isGreaterThanOrEqualTo(failed.getEndEpochNanos());
    }

    @Test
    void theWorkerReceivesATraceparentNamingItsAttemptSpan() {
        ObservedRequest r = tracing.observer().begin(start("req-1",
                Map.of("traceparent", CLIENT_TRACEPARENT, "tracestate", "vendor=abc", "baggage", "tenant=blue")));
        List<Map<String, List<String>>> sent = new java.util.ArrayList<>();
        retriedStream(r, sent);

        List<SpanData> attempts = all("attempt");
        for (int i = 0; i < 2; i++) {
            int number = i + 1;
            SpanData attempt = attempts.stream().filter(a -> a.getAttributes().get(TracingObserver.ATTEMPT) == number)
                    .findFirst().orElseThrow();
            Map<String, List<String>> headers = sent.get(i);
            assertThat(headers.get("traceparent")).containsExactly("00-" + CLIENT_TRACE + "-" + attempt.getSpanId() + "-01");
            assertThat(headers.get("tracestate")).containsExactly("vendor=abc");
            assertThat(headers.get("baggage")).containsExactly("tenant=blue");
            assertThat(headers.get("x-request-id")).containsExactly("req-1");
        }
    }

    @Test
    void withoutTraceContextTheRequestStartsANewTrace() {
        ObservedRequest r = tracing.observer().begin(start("req-2", Map.of()));
        Map<String, List<String>> headers = new HashMap<>();
        FakeWorker worker = new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1");
        r.parsed("m", "chat", false);
        r.attemptStarted(worker, "random", 1, headers);
        r.attemptFinished(worker, 1, 200, null);
        r.completed(200, null);

        SpanData request = only("POST /v1/chat/completions");
        assertThat(request.getParentSpanContext().isValid()).isFalse();
        assertThat(request.getTraceId()).isNotEqualTo(CLIENT_TRACE);
        // Flags: sampled, and (W3C level 2) the trace id is random.
        assertThat(headers.get("traceparent")).containsExactly(
                "00-" + request.getTraceId() + "-" + only("attempt").getSpanId() + "-03");
        assertThat(headers).doesNotContainKeys("tracestate", "baggage");
    }

    @Test
    void aStaleTracestateIsNotSentWithANewTrace() {
        ObservedRequest r = tracing.observer().begin(start("req-3", Map.of("traceparent", "garbage", "tracestate", "old=1")));
        Map<String, List<String>> headers = new HashMap<>(Map.of("traceparent", List.of("garbage"), "tracestate", List.of("old=1")));
        r.attemptStarted(new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1"), "random", 1, headers);
        r.completed(502, "upstream_error");

        assertThat(headers.get("traceparent").get(0)).startsWith("00-").doesNotContain(CLIENT_TRACE).endsWith("-03");
        assertThat(headers).doesNotContainKey("tracestate");
    }

    @Test
    void requestSpanCarriesRouteMethodModelStatusAndRequestId() {
        ObservedRequest r = tracing.observer().begin(start("req-42", Map.of()));
        retriedStream(r, new java.util.ArrayList<>());

        SpanData request = only("POST /v1/chat/completions");
        assertThat(request.getAttributes().get(TracingObserver.HTTP_ROUTE)).isEqualTo("/v1/chat/completions");
        assertThat(request.getAttributes().get(TracingObserver.HTTP_METHOD)).isEqualTo("POST");
        assertThat(request.getAttributes().get(TracingObserver.HTTP_STATUS)).isEqualTo(200L);
        assertThat(request.getAttributes().get(TracingObserver.MODEL)).isEqualTo("sim-model");
        assertThat(request.getAttributes().get(TracingObserver.REQUEST_ID)).isEqualTo("req-42");
        assertThat(request.getAttributes().get(TracingObserver.ATTEMPTS)).isEqualTo(2L);
        assertThat(request.getAttributes().get(TracingObserver.INPUT_TOKENS)).isEqualTo(12L);
        assertThat(request.getAttributes().get(TracingObserver.OUTPUT_TOKENS)).isEqualTo(6L);
        assertThat(request.getAttributes().get(TracingObserver.CACHED_TOKENS)).isEqualTo(4L);
        assertThat(request.getEvents()).extracting(EventData::getName).containsExactly("retry");
        assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(request.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("smg-test");
    }

    @Test
    void admissionRoutingAndStreamAreChildSpansOfTheRequest() {
        ObservedRequest r = tracing.observer().begin(start("req-1", Map.of()));
        retriedStream(r, new java.util.ArrayList<>());

        SpanData request = only("POST /v1/chat/completions");
        SpanData admission = only("admission");
        SpanData routing = only("routing");
        SpanData stream = only("stream");
        assertThat(List.of(admission, routing, stream)).allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(request.getSpanId()));
        assertThat(admission.getEndEpochNanos() - admission.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
        assertThat(admission.getAttributes().get(TracingObserver.TENANT)).isEqualTo("default");
        assertThat(routing.getAttributes().get(TracingObserver.WORKER_URL)).isEqualTo("http://gpu1:8000");
        assertThat(stream.getEvents()).extracting(EventData::getName).containsExactly("first_token");
        assertThat(stream.getAttributes().get(TracingObserver.TOKENS)).isEqualTo(6L);
        assertThat(stream.getAttributes().get(TracingObserver.TTFT_MS)).isNotNull().isGreaterThanOrEqualTo(0.0);
        for (SpanData child : List.of(admission, routing, stream)) {
            assertThat(child.getStartEpochNanos()).isGreaterThanOrEqualTo(request.getStartEpochNanos());
            assertThat(child.getEndEpochNanos()).isLessThanOrEqualTo(request.getEndEpochNanos());
        }
    }

    @Test
    void aGatewayErrorMarksTheRequestSpanAndEndsEverySpan() {
        ObservedRequest r = tracing.observer().begin(start("req-5", Map.of()));
        FakeWorker worker = new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1");
        r.parsed("m", "chat", false);
        r.attemptStarted(worker, "random", 1, new HashMap<>());
        r.attemptFinished(worker, 1, -1, UpstreamFailure.Kind.CONNECT);
        r.completed(502, "upstream_error");

        SpanData request = only("POST /v1/chat/completions");
        assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(request.getAttributes().get(TracingObserver.ERROR_TYPE)).isEqualTo("upstream_error");
        SpanData attempt = only("attempt");
        assertThat(attempt.getAttributes().get(TracingObserver.OUTCOME)).isEqualTo("connect");
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(exporter.getFinishedSpanItems()).hasSize(3);
    }

    @Test
    void spansLeftOpenWhenTheClientLeavesAreEndedWithTheRequest() {
        ObservedRequest r = tracing.observer().begin(start("req-6", Map.of()));
        FakeWorker worker = new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1");
        r.parsed("m", "chat", true);
        r.attemptStarted(worker, "random", 1, new HashMap<>());
        r.responseStarted(200, true);
        r.completed(499, null);

        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("POST /v1/chat/completions", "routing", "attempt", "stream");
        assertThat(only("attempt").getAttributes().get(TracingObserver.OUTCOME)).isEqualTo("client_gone");
        assertThat(only("POST /v1/chat/completions").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aRequestAnsweredBeforeRoutingEndsItsRoutingSpan() {
        ObservedRequest r = tracing.observer().begin(start("req-7", Map.of()));
        r.parsed("m", "chat", false);
        r.completed(404, "model_not_found");

        assertThat(only("routing").getAttributes().get(TracingObserver.OUTCOME)).isEqualTo("no_attempt");
        assertThat(only("POST /v1/chat/completions").getAttributes().get(TracingObserver.ERROR_TYPE)).isEqualTo("model_not_found");
    }

    @Test
    void betweenEnterAndExitTheTraceIsCurrentAndInTheMdc() {
        ObservedRequest r = tracing.observer().begin(start("req-8", Map.of("traceparent", CLIENT_TRACEPARENT)));
        MDC.put(TracingObserver.MDC_TRACE_ID, "outer");

        r.enter();
        SpanContext current = Span.current().getSpanContext();
        assertThat(current.getTraceId()).isEqualTo(CLIENT_TRACE);
        assertThat(MDC.get(TracingObserver.MDC_TRACE_ID)).isEqualTo(CLIENT_TRACE);
        assertThat(MDC.get(TracingObserver.MDC_SPAN_ID)).isEqualTo(current.getSpanId());
        assertThat(((TraceCorrelated) r).traceId()).isEqualTo(CLIENT_TRACE);
        assertThat(((TraceCorrelated) r).spanId()).isEqualTo(current.getSpanId());
        r.enter();
        r.exit();
        assertThat(MDC.get(TracingObserver.MDC_TRACE_ID)).isEqualTo(CLIENT_TRACE);
        r.exit();

        assertThat(MDC.get(TracingObserver.MDC_TRACE_ID)).isEqualTo("outer");
        assertThat(MDC.get(TracingObserver.MDC_SPAN_ID)).isNull();
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
        r.completed(200, null);
    }

    @Test
    void duringAnAttemptTheMdcNamesTheAttemptSpan() {
        ObservedRequest r = tracing.observer().begin(start("req-9", Map.of()));
        FakeWorker worker = new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1");
        Map<String, List<String>> headers = new HashMap<>();
        r.attemptStarted(worker, "random", 1, headers);
        r.enter();
        String spanInMdc = MDC.get(TracingObserver.MDC_SPAN_ID);
        r.exit();
        r.attemptFinished(worker, 1, 200, null);
        r.completed(200, null);

        assertThat(spanInMdc).isEqualTo(only("attempt").getSpanId());
        assertThat(headers.get("traceparent").get(0)).contains(spanInMdc);
    }

    @Test
    void unsampledTracesRecordNothingButStillPropagateTheirContext() {
        tracing.close();
        tracing = tracing(0.0);
        ObservedRequest r = tracing.observer().begin(start("req-10", Map.of()));
        Map<String, List<String>> headers = new HashMap<>();
        r.parsed("m", "chat", false);
        r.attemptStarted(new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1"), "random", 1, headers);
        r.completed(200, null);

        assertThat(exporter.getFinishedSpanItems()).isEmpty();
        assertThat(headers.get("traceparent").get(0)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]");
        assertThat(((TraceCorrelated) r).sampled()).isFalse();
    }

    @Test
    void aSampledCallerIsFollowedWhateverTheRatio() {
        tracing.close();
        tracing = tracing(0.0);
        ObservedRequest r = tracing.observer().begin(start("req-11", Map.of("traceparent", CLIENT_TRACEPARENT)));
        r.completed(200, null);

        assertThat(only("POST /v1/chat/completions").getTraceId()).isEqualTo(CLIENT_TRACE);
    }

    @Test
    void credentialsInAWorkerUrlStayOutOfSpans() {
        ObservedRequest r = tracing.observer().begin(start("req-12", Map.of()));
        FakeWorker worker = new FakeWorker("w1", "http://user:hunter2@gpu1:8000/v1", "worker-secret-key-w1");
        r.attemptStarted(worker, "random", 1, new HashMap<>());
        r.attemptFinished(worker, 1, 200, null);
        r.completed(200, null);

        assertThat(only("attempt").getAttributes().get(TracingObserver.WORKER_URL)).isEqualTo("http://gpu1:8000/v1");
        assertThat(exporter.getFinishedSpanItems().toString()).doesNotContain("hunter2").doesNotContain("worker-secret-key");
    }

    @Test
    void disabledTracingObservesNothingAndHandsPluginsANoopTracer() {
        Tracing off = Tracing.disabled();
        assertThat(off.enabled()).isFalse();
        assertThat(off.observer().begin(start("req-13", Map.of()))).isSameAs(ObservedRequest.NONE);
        assertThat(off.tracer().spanBuilder("x").startSpan().getSpanContext().isValid()).isFalse();
        off.close();
    }

    @Test
    void pluginSpansJoinTheRequestsTraceWhileItIsCurrent() {
        ObservedRequest r = tracing.observer().begin(start("req-14", Map.of()));
        r.enter();
        tracing.tracer().spanBuilder("plugin-work").startSpan().end();
        r.exit();
        r.completed(200, null);

        assertThat(only("plugin-work").getParentSpanId()).isEqualTo(only("POST /v1/chat/completions").getSpanId());
    }
}
