package dev.shepherd.kernel.observe.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.spi.Headers;
import dev.shepherd.testkit.fakes.FakeWorker;
import dev.shepherd.testkit.otlp.OtlpSpan;
import dev.shepherd.testkit.otlp.OtlpTraceDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real exporter (OTLP/HTTP protobuf over the JDK's client) against a receiver on loopback. */
class TracingExportTest {

    private HttpServer receiver;
    private final List<OtlpSpan> received = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type"));
            try {
                received.addAll(OtlpTraceDecoder.decode(body));
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                failures.add(e);
                exchange.sendResponseHeaders(400, -1);
            }
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
        assertThat(failures).as("bodies the receiver could not decode").isEmpty();
    }

    @Test
    void closingSendsEveryFinishedSpanToTheCollectorAsOtlpProtobuf() {
        String endpoint = "127.0.0.1:" + receiver.getAddress().getPort();
        Tracing tracing = Tracing.start(TracingOptions.of(true, endpoint, 1.0, "smg"));
        ObservedRequest r = tracing.observer().begin(new RequestStart("req-export", "POST", "/v1/chat/completions",
                "/v1/chat/completions", new Headers(Map.of()), System.nanoTime()));
        FakeWorker worker = new FakeWorker("w1", "http://gpu1:8000", "worker-secret-key-w1");
        Map<String, List<String>> headers = new HashMap<>();
        r.parsed("sim-model", "chat", false);
        r.attemptStarted(worker, "round_robin", 1, headers);
        r.attemptFinished(worker, 1, 200, null);
        r.completed(200, null);

        tracing.close();

        assertThat(requests).isNotEmpty().allMatch(line -> line.equals("POST /v1/traces application/x-protobuf"));
        OtlpSpan request = received.stream().filter(s -> s.name().equals("POST /v1/chat/completions")).findFirst().orElseThrow();
        OtlpSpan attempt = received.stream().filter(s -> s.name().equals("attempt")).findFirst().orElseThrow();
        assertThat(request.kind()).isEqualTo(OtlpSpan.SERVER);
        assertThat(request.attributes()).containsEntry("smg.request_id", "req-export")
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("gen_ai.request.model", "sim-model");
        assertThat(request.resource()).containsEntry("service.name", "smg");
        assertThat(attempt.kind()).isEqualTo(OtlpSpan.CLIENT);
        assertThat(attempt.parentSpanId()).isEqualTo(request.spanId());
        assertThat(attempt.traceId()).isEqualTo(request.traceId());
        assertThat(headers.get("traceparent").get(0)).isEqualTo("00-" + attempt.traceId() + "-" + attempt.spanId() + "-03");
    }

    @Test
    void spansAreSentWithinTheExportIntervalWithoutWaitingForShutdown() {
        String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Tracing tracing = Tracing.start(new TracingOptions(true, endpoint, 1.0, "smg", java.time.Duration.ofMillis(100)));
        try {
            tracing.tracer().spanBuilder("early").startSpan().end();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> received.stream().anyMatch(s -> s.name().equals("early")));
        } finally {
            tracing.close();
        }
    }

    @Test
    void anUnreachableCollectorCostsNothingButLostSpans() {
        int closedPort = receiver.getAddress().getPort();
        receiver.stop(0);
        Tracing tracing = Tracing.start(TracingOptions.of(true, "127.0.0.1:" + closedPort, 1.0, "smg"));
        ObservedRequest r = tracing.observer().begin(new RequestStart("req-lost", "GET", "/v1/models", "/v1/models",
                new Headers(Map.of()), System.nanoTime()));
        r.completed(200, null);
        long started = System.nanoTime();
        tracing.close();
        assertThat((System.nanoTime() - started) / 1_000_000_000.0).isLessThan(15.0);
    }
}
