package dev.shepherd.kernel.observe.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.kernel.observe.tracing.Tracing;
import dev.shepherd.kernel.observe.tracing.TracingOptions;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.TokenUsage;
import dev.shepherd.testkit.fakes.FakeWorker;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class AccessLogObserverTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private ch.qos.logback.classic.Logger logger;
    private Tracing tracing;
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @BeforeEach
    void capture() {
        logger = context.getLogger("test.access." + UUID.randomUUID());
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        lines.setContext(context);
        lines.start();
        logger.addAppender(lines);
        tracing = Tracing.withProcessor(TracingOptions.of(true, null, 1.0, null), SimpleSpanProcessor.create(spans));
    }

    @AfterEach
    void release() {
        logger.detachAndStopAllAppenders();
        tracing.close();
        MDC.clear();
    }

    private static RequestStart start(String id, String route, Map<String, String> headers) {
        Map<String, List<String>> values = new HashMap<>();
        headers.forEach((k, v) -> values.put(k, List.of(v)));
        return new RequestStart(id, "POST", route, route, new Headers(values), System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(5));
    }

    private ObservedRequest served(AccessLogObserver observer, String id) {
        ObservedRequest r = observer.begin(start(id, "/v1/chat/completions", Map.of(
                "authorization", "Bearer secret-client-token-1",
                "x-api-key", "secret-client-key-2",
                "traceparent", "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01")));
        FakeWorker first = new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1");
        FakeWorker second = new FakeWorker("w2", "http://ops:secret-url-pass@gpu2:8000", "worker-secret-key-w2");
        r.admitted("team-a", "normal", 0);
        r.parsed("sim-model", "chat", true);
        Map<String, List<String>> headers = new HashMap<>(Map.of("authorization", List.of("Bearer secret-client-token-1")));
        r.attemptStarted(first, "round_robin", 1, headers);
        r.attemptFinished(first, 1, 503, null);
        r.attemptStarted(second, "round_robin", 2, headers);
        r.responseStarted(200, true);
        r.attemptFinished(second, 2, 200, null);
        long now = System.nanoTime();
        r.generated(6, now - TimeUnit.MILLISECONDS.toNanos(2), now, new TokenUsage(12, 6, 4));
        r.completed(200, null);
        return r;
    }

    private JsonNode json(ILoggingEvent event) throws Exception {
        Encoder<ILoggingEvent> encoder = LoggingSetup.encoder(context, true);
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        return JSON.readTree(line);
    }

    @Test
    void oneLinePerRequestWithRouteModelWorkerStatusLatencyTokensAndIds() throws Exception {
        served(new AccessLogObserver(tracing.observer(), logger), "req-1");

        assertThat(lines.list).hasSize(1);
        ILoggingEvent event = lines.list.get(0);
        assertThat(event.getLevel()).isEqualTo(Level.INFO);
        JsonNode line = json(event);
        assertThat(line.path("method").asText()).isEqualTo("POST");
        assertThat(line.path("route").asText()).isEqualTo("/v1/chat/completions");
        assertThat(line.path("path").asText()).isEqualTo("/v1/chat/completions");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("latency_ms").isNumber()).isTrue();
        assertThat(line.path("latency_ms").asDouble()).isGreaterThanOrEqualTo(5.0);
        assertThat(line.path("model").asText()).isEqualTo("sim-model");
        assertThat(line.path("stream").asBoolean()).isTrue();
        assertThat(line.path("tenant").asText()).isEqualTo("team-a");
        assertThat(line.path("worker").asText()).isEqualTo("http://gpu2:8000");
        assertThat(line.path("attempts").asInt()).isEqualTo(2);
        assertThat(line.path("prompt_tokens").asLong()).isEqualTo(12);
        assertThat(line.path("completion_tokens").asLong()).isEqualTo(6);
        assertThat(line.path("cached_tokens").asLong()).isEqualTo(4);
        assertThat(line.path("ttft_ms").asDouble()).isGreaterThan(0);
        assertThat(line.path("request_id").asText()).isEqualTo("req-1");
        assertThat(line.path("trace_id").asText()).isEqualTo(CLIENT_TRACE);
        assertThat(line.has("error_code")).isFalse();
        assertThat(line.path("message").asText()).startsWith("method=POST route=/v1/chat/completions")
                .contains("status=200").contains("request_id=req-1");
    }

    @Test
    void noHeaderKeyOrUrlCredentialEverReachesTheLine() throws Exception {
        served(new AccessLogObserver(tracing.observer(), logger), "req-2");

        String everything = lines.list.get(0).getFormattedMessage() + json(lines.list.get(0));
        assertThat(everything).doesNotContain("secret-client-token-1", "secret-client-key-2", "secret-url-pass",
                "worker-secret-key", "authorization", "x-api-key");
    }

    @Test
    void betweenEnterAndExitTheMdcHoldsTheRequestAndTraceIds() {
        ObservedRequest r = new AccessLogObserver(tracing.observer(), logger).begin(start("req-3", "/v1/chat/completions",
                Map.of("traceparent", "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01")));

        r.enter();
        Map<String, String> inside = MDC.getCopyOfContextMap();
        r.exit();

        assertThat(inside).containsEntry("request_id", "req-3").containsEntry("trace_id", CLIENT_TRACE).containsKey("span_id");
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
        r.completed(200, null);
    }

    @Test
    void whenCompletedInsideEnterTheIdsAreNotWrittenTwice() throws Exception {
        ObservedRequest r = new AccessLogObserver(tracing.observer(), logger).begin(start("req-4", "/v1/models", Map.of()));
        r.enter();
        r.completed(200, null);
        Map<String, String> stillInside = MDC.getCopyOfContextMap();
        r.exit();

        JsonNode line = json(lines.list.get(0));
        assertThat(line.path("request_id").asText()).isEqualTo("req-4");
        assertThat(stillInside).containsEntry("request_id", "req-4");
    }

    @Test
    void withoutTracingTheLineHasNoTraceId() throws Exception {
        ObservedRequest r = new AccessLogObserver(null, logger).begin(start("req-5", "/v1/models", Map.of()));
        r.enter();
        assertThat(MDC.get("request_id")).isEqualTo("req-5");
        assertThat(MDC.get("trace_id")).isNull();
        r.exit();
        r.completed(404, "model_not_found");

        JsonNode line = json(lines.list.get(0));
        assertThat(line.has("trace_id")).isFalse();
        assertThat(line.path("status").asInt()).isEqualTo(404);
        assertThat(line.path("error_code").asText()).isEqualTo("model_not_found");
        assertThat(line.has("worker")).isFalse();
        assertThat(line.has("model")).isFalse();
    }

    @Test
    void disabledTracingStillLogsEveryRequest() {
        ObservedRequest r = new AccessLogObserver(Tracing.disabled().observer(), logger).begin(start("req-6", "/v1/models", Map.of()));
        r.completed(200, null);

        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("request_id=req-6").doesNotContain("trace_id");
    }

    @Test
    void healthProbesAreLoggedAtDebugOnly() {
        new AccessLogObserver(null, logger).begin(start("req-7", "/health", Map.of())).completed(200, null);
        assertThat(lines.list).isEmpty();

        logger.setLevel(Level.DEBUG);
        new AccessLogObserver(null, logger).begin(start("req-8", "/readiness", Map.of())).completed(200, null);
        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getLevel).isEqualTo(Level.DEBUG);
    }

    @Test
    void aRequestIsLoggedOnceAndStillTraced() {
        ObservedRequest r = new AccessLogObserver(tracing.observer(), logger).begin(start("req-9", "/v1/models", Map.of()));
        r.completed(200, null);
        r.completed(200, null);

        assertThat(lines.list).hasSize(1);
        assertThat(spans.getFinishedSpanItems()).hasSize(1);
    }

    @Test
    void streamedTokensStandInWhenTheWorkerReportsNoUsage() throws Exception {
        ObservedRequest r = new AccessLogObserver(null, logger).begin(start("req-10", "/v1/completions", Map.of()));
        r.parsed("m", "completion", true);
        r.generated(9, System.nanoTime(), System.nanoTime(), null);
        r.completed(200, null);

        JsonNode line = json(lines.list.get(0));
        assertThat(line.path("completion_tokens").asInt()).isEqualTo(9);
        assertThat(line.has("prompt_tokens")).isFalse();
    }

    @Test
    void userInfoIsStrippedFromUrls() {
        assertThat(AccessLogObserver.withoutUserInfo("http://a:b@host:1/x")).isEqualTo("http://host:1/x");
        assertThat(AccessLogObserver.withoutUserInfo("http://host:1/x@y")).isEqualTo("http://host:1/x@y");
        assertThat(AccessLogObserver.withoutUserInfo("host:1")).isEqualTo("host:1");
    }
}
