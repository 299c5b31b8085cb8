package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.sim.RecordedRequest;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import dev.shepherd.testkit.otlp.OtlpSpan;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces leave the assembled server over OTLP/HTTP and reach a collector on loopback (an in-test
 * receiver decoding the protobuf): one trace per request whose server span continues the client's
 * {@code traceparent}, one client span per upstream attempt under it, and the engine receiving a
 * {@code traceparent} that names its attempt span, so the engine's own spans join the trace.
 */
class TracingE2ETest {

    private static final String MODEL = "sim-model";
    private static final Duration EXPORTED = Duration.ofSeconds(30);
    private static final String REQUEST_SPAN = "POST /v1/chat/completions";

    private static OtlpReceiver collector;
    private static SimEngine first;
    private static SimEngine second;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() {
        collector = OtlpReceiver.start();
        first = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels(MODEL));
        second = SimEngine.start(SimEngineConfig.defaults().withPort(0).withModels(MODEL));
        gateway = GatewayProcess.launch(Duration.ofSeconds(60), "--worker-urls", first.url(), second.url(),
                "--policy", "round_robin", "--health-check-interval-secs", "1",
                "--enable-trace", "--otlp-traces-endpoint", collector.url(), "--log-json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.json(Http.get(gateway.baseUrl() + "/readiness"))
                .path("healthy_workers").asInt() == 2);
    }

    @AfterAll
    static void stop() {
        Stream.of(gateway, first, second, collector).filter(java.util.Objects::nonNull).forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(b);
    }

    private static String chat(boolean stream, String prompt) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":4,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    /** The request span of the request with this id, once exported. */
    private static OtlpSpan requestSpan(String requestId) {
        return await().atMost(EXPORTED).until(() -> collector.spans().stream()
                .filter(s -> s.kind() == OtlpSpan.SERVER && requestId.equals(s.attribute("smg.request_id")))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    private static List<OtlpSpan> children(OtlpSpan parent, String name, int count) {
        return await().atMost(EXPORTED).until(() -> collector.trace(parent.traceId()).stream()
                .filter(s -> s.name().equals(name) && s.parentSpanId().equals(parent.spanId())).toList(),
                spans -> spans.size() >= count);
    }

    /** What the engines received for the request with this id, in arrival order. */
    private static List<RecordedRequest> received(String requestId) {
        return Stream.of(first, second).flatMap(e -> e.stats().recentRequests().stream())
                .filter(r -> requestId.equals(r.header("x-request-id")))
                .sorted(java.util.Comparator.comparingLong(RecordedRequest::receivedAtEpochMillis))
                .toList();
    }

    @Test
    void theClientsTraceContinuesThroughTheGatewayIntoTheEngine() {
        String clientTrace = hex(16);
        String clientSpan = hex(8);
        HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                chat(false, "trace me"), "traceparent", "00-" + clientTrace + "-" + clientSpan + "-01",
                "x-request-id", "trace-e2e-parent");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        OtlpSpan request = requestSpan("trace-e2e-parent");
        assertThat(request.name()).isEqualTo(REQUEST_SPAN);
        assertThat(request.traceId()).isEqualTo(clientTrace);
        assertThat(request.parentSpanId()).isEqualTo(clientSpan);
        assertThat(request.attributes()).containsEntry("http.route", "/v1/chat/completions")
                .containsEntry("http.request.method", "POST")
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("gen_ai.request.model", MODEL);
        assertThat(request.resource()).containsEntry("service.name", "smg");

        OtlpSpan attempt = children(request, "attempt", 1).get(0);
        assertThat(attempt.kind()).isEqualTo(OtlpSpan.CLIENT);
        assertThat(attempt.attributes()).containsEntry("smg.attempt", 1L).containsEntry("smg.outcome", "ok")
                .containsEntry("http.response.status_code", 200L);
        assertThat(attempt.attribute("smg.worker.url")).isIn(first.url(), second.url());

        List<RecordedRequest> atEngine = received("trace-e2e-parent");
        assertThat(atEngine).hasSize(1);
        assertThat(atEngine.get(0).header("traceparent")).isEqualTo("00-" + clientTrace + "-" + attempt.spanId() + "-01");
    }

    @Test
    void aStreamWithoutTraceContextStartsATraceTheEngineJoins() {
        HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                chat(true, "stream and trace"), "x-request-id", "trace-e2e-stream");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data: [DONE]");

        OtlpSpan request = requestSpan("trace-e2e-stream");
        assertThat(request.parentSpanId()).isEmpty();
        OtlpSpan attempt = children(request, "attempt", 1).get(0);
        OtlpSpan stream = children(request, "stream", 1).get(0);
        assertThat(stream.events()).contains("first_token");
        assertThat(children(request, "routing", 1)).singleElement()
                .satisfies(r -> assertThat(r.attribute("smg.policy")).isEqualTo("round_robin"));

        String sent = received("trace-e2e-stream").get(0).header("traceparent");
        assertThat(sent).matches("00-" + request.traceId() + "-" + attempt.spanId() + "-0[13]");
    }

    @Test
    void aRetriedRequestHasOneClientSpanPerAttemptUnderItsRequestSpan() {
        first.faults().errorRate(1.0).errorStatus(503);
        try {
            OtlpSpan retried = null;
            for (int i = 0; i < 4 && retried == null; i++) {
                String id = "trace-e2e-retry-" + i;
                HttpResponse<String> response = Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                        chat(false, "retry " + i), "x-request-id", id);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                OtlpSpan request = requestSpan(id);
                if (Long.valueOf(2).equals(request.attribute("smg.attempts"))) {
                    retried = request;
                }
            }
            assertThat(retried).as("a request whose first attempt went to the failing worker").isNotNull();
            String id = (String) retried.attribute("smg.request_id");
            List<OtlpSpan> attempts = children(retried, "attempt", 2).stream()
                    .sorted(java.util.Comparator.comparingLong(a -> (Long) a.attribute("smg.attempt"))).toList();
            assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(a.kind()).isEqualTo(OtlpSpan.CLIENT));
            assertThat(attempts.get(0).attributes()).containsEntry("smg.worker.url", first.url())
                    .containsEntry("http.response.status_code", 503L).containsEntry("smg.outcome", "status_503");
            assertThat(attempts.get(1).attributes()).containsEntry("smg.worker.url", second.url())
                    .containsEntry("smg.outcome", "ok");

            List<RecordedRequest> atEngines = received(id);
            assertThat(atEngines).extracting(r -> r.header("traceparent")).containsExactly(
                    "00-" + retried.traceId() + "-" + attempts.get(0).spanId() + "-03",
                    "00-" + retried.traceId() + "-" + attempts.get(1).spanId() + "-03");
        } finally {
            first.faults().reset();
        }
    }

    @Test
    void theRequestsLogLinesCarryItsTraceId() throws IOException {
        String clientTrace = hex(16);
        Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json", chat(false, "log me"),
                "traceparent", "00-" + clientTrace + "-" + hex(8) + "-01", "x-request-id", "trace-e2e-log");

        JsonNode access = await().atMost(Duration.ofSeconds(10)).until(() -> gateway.output().lines()
                .filter(l -> l.contains("trace-e2e-log"))
                .map(TracingE2ETest::json)
                .filter(l -> "smg.access".equals(l.path("logger").asText()))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(access.path("request_id").asText()).isEqualTo("trace-e2e-log");
        assertThat(access.path("trace_id").asText()).isEqualTo(clientTrace);
    }

    @Test
    void theCollectorOnlyEverReceivedWellFormedOtlpExports() {
        Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json", chat(false, "x"), "x-request-id", "trace-e2e-wf");
        requestSpan("trace-e2e-wf");
        assertThat(collector.faults()).isEmpty();
    }

    private static JsonNode json(String line) {
        try {
            return Http.JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
