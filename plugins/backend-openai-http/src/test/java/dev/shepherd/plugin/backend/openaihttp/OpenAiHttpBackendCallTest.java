package dev.shepherd.plugin.backend.openaihttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.backend.UpstreamRequest;
import dev.shepherd.testkit.fakes.FakeWorker;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * Calls through the backend against a real server on 127.0.0.1. The request's I/O executor is an I/O
 * thread of a separate "gateway" XNIO worker, as the kernel's server exchanges would be, unless a
 * test says otherwise.
 */
class OpenAiHttpBackendCallTest {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> EVENTS = List.of(
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"!\"}}]}\n\n",
            "data: [DONE]\n\n");

    private static XnioWorker gatewayWorker;
    private static XnioIoThread gatewayThread;

    private final List<CompletableFuture<Void>> gates = IntStream.range(0, EVENTS.size())
            .mapToObj(i -> new CompletableFuture<Void>()).toList();
    private UpstreamServer server;
    private OpenAiHttpBackend backend;

    @BeforeAll
    static void startGatewayWorker() throws IOException {
        gatewayWorker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, 1)
                .set(Options.THREAD_DAEMON, true)
                .getMap());
        gatewayThread = gatewayWorker.getIoThread(0);
    }

    @AfterAll
    static void stopGatewayWorker() {
        gatewayWorker.shutdownNow();
    }

    @BeforeEach
    void start() {
        server = UpstreamServer.start(Map.ofEntries(
                Map.entry("/v1/chat/completions", UpstreamHandlers.echo()),
                Map.entry("/ok", UpstreamHandlers.ok()),
                Map.entry("/ok-then-close", UpstreamHandlers.okThenClose()),
                Map.entry("/drop-on-reuse", UpstreamHandlers.dropOnReusedConnection()),
                Map.entry("/drop-always", UpstreamHandlers.dropAlways()),
                Map.entry("/truncated", UpstreamHandlers.truncatedBody(100, "0123456789")),
                Map.entry("/truncated-chunked", UpstreamHandlers.truncatedBody(-1, "0123456789")),
                Map.entry("/events", UpstreamHandlers.gatedEvents(EVENTS, gates))));
        backend = newBackend(TestPluginContext.lendingNothing());
    }

    @AfterEach
    void stop() {
        gates.forEach(gate -> gate.complete(null));
        backend.close();
        server.close();
    }

    private static OpenAiHttpBackend newBackend(TestPluginContext context) {
        return (OpenAiHttpBackend) new OpenAiHttpBackendFactory().create(OpenAiHttpBackendConfig.defaults(), context);
    }

    private static UpstreamRequest get(String path, Executor ioExecutor) {
        return new UpstreamRequest("GET", path, Headers.EMPTY, new byte[0], false, CALL_TIMEOUT, ioExecutor);
    }

    private static UpstreamRequest get(String path) {
        return get(path, gatewayThread);
    }

    private RecordingSink call(String path) {
        RecordingSink sink = new RecordingSink();
        backend.call(FakeWorker.at(server.url()), get(path), sink);
        return sink;
    }

    private static UpstreamRequest streamRequest(Executor ioExecutor) {
        return new UpstreamRequest("POST", "/events", Headers.EMPTY,
                "{\"stream\":true}".getBytes(StandardCharsets.UTF_8), true, CALL_TIMEOUT, ioExecutor);
    }

    /** A sink that opens the server's gate for the next event as each event arrives. */
    private RecordingSink gateOpeningSink() {
        return new RecordingSink().reactingToChunks((index, chunk) -> {
            if (index + 1 < gates.size()) {
                gates.get(index + 1).complete(null);
            }
        });
    }

    @Test
    void postsJsonWithForwardedHeadersAndTheWorkersBearerKey() throws IOException {
        Headers forwarded = new Headers(Map.of(
                "authorization", List.of("Bearer client-key"),
                "x-request-id", List.of("req-42")));
        byte[] body = "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        UpstreamRequest request = new UpstreamRequest("POST", "/v1/chat/completions", forwarded, body, false,
                CALL_TIMEOUT, gatewayThread);
        RecordingSink sink = new RecordingSink();

        backend.call(FakeWorker.at(server.url(), "worker-key"), request, sink);

        sink.awaitCompleted();
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.headers().first("content-type")).isEqualTo("application/json");
        assertThat(sink.headers().values()).containsKey("x-engine-name");
        JsonNode echoed = new ObjectMapper().readTree(sink.body());
        assertThat(echoed.get("method").asText()).isEqualTo("POST");
        assertThat(echoed.get("path").asText()).isEqualTo("/v1/chat/completions");
        assertThat(echoed.get("host").asText()).isEqualTo(server.url().substring("http://".length()));
        assertThat(echoed.get("authorization").asText()).isEqualTo("Bearer worker-key");
        assertThat(echoed.get("request_id").asText()).isEqualTo("req-42");
        assertThat(echoed.get("content_type").asText()).isEqualTo("application/json");
        assertThat(echoed.get("content_length").asText()).isEqualTo(String.valueOf(body.length));
        assertThat(echoed.get("body").asText()).isEqualTo("{\"model\":\"m\",\"messages\":[]}");
        assertThat(sink.threads()).as("sink calls happen on the request's I/O thread").containsOnly(gatewayThread);
    }

    @Test
    void aWorkersDataParallelRankTravelsInTheBodyToItsBaseUrl() throws IOException {
        byte[] body = "{\"model\":\"m\",\"messages\":[],\"stream\":false}".getBytes(StandardCharsets.UTF_8);
        UpstreamRequest request = new UpstreamRequest("POST", "/v1/chat/completions", Headers.EMPTY, body, false,
                CALL_TIMEOUT, gatewayThread);
        RecordingSink sink = new RecordingSink();

        backend.call(FakeWorker.rank(server.url(), 3), request, sink);

        JsonNode echoed = new ObjectMapper().readTree(sink.awaitCompleted().body());
        JsonNode sent = new ObjectMapper().readTree(echoed.get("body").asText());
        assertThat(sent.get("data_parallel_rank").asInt()).isEqualTo(3);
        assertThat(sent.get("model").asText()).as("the rest of the body is kept").isEqualTo("m");
        assertThat(sent.get("stream").asBoolean()).isFalse();
        assertThat(echoed.get("content_length").asText()).isEqualTo(String.valueOf(echoed.get("body").asText().length()));
        assertThat(new String(body, StandardCharsets.UTF_8)).as("the caller's bytes are not changed in place")
                .doesNotContain("data_parallel_rank");
    }

    @Test
    void aWorkerWithoutARankGetsTheBodyByteForByte() {
        byte[] body = "{ \"model\" : \"m\" }".getBytes(StandardCharsets.UTF_8);
        UpstreamRequest request = new UpstreamRequest("POST", "/v1/chat/completions", Headers.EMPTY, body, false,
                CALL_TIMEOUT, gatewayThread);

        assertThat(new DataParallelRank(new ObjectMapper()).apply(FakeWorker.at(server.url()), request)).isSameAs(request);
        UpstreamRequest notJson = new UpstreamRequest("POST", "/x", Headers.EMPTY,
                "not json".getBytes(StandardCharsets.UTF_8), false, CALL_TIMEOUT, gatewayThread);
        assertThat(new DataParallelRank(new ObjectMapper()).apply(FakeWorker.rank(server.url(), 1), notJson))
                .isSameAs(notJson);
    }

    @Test
    void forwardsTheClientsAuthorizationAndContentTypeWhenTheWorkerHasNoKey() throws IOException {
        Headers forwarded = new Headers(Map.of(
                "authorization", List.of("Bearer client-key"),
                "content-type", List.of("application/json; charset=utf-8")));
        UpstreamRequest request = new UpstreamRequest("POST", "/v1/chat/completions", forwarded,
                "{}".getBytes(StandardCharsets.UTF_8), false, CALL_TIMEOUT, gatewayThread);
        RecordingSink sink = new RecordingSink();

        backend.call(FakeWorker.at(server.url()), request, sink);

        JsonNode echoed = new ObjectMapper().readTree(sink.awaitCompleted().body());
        assertThat(echoed.get("authorization").asText()).isEqualTo("Bearer client-key");
        assertThat(echoed.get("content_type").asText()).isEqualTo("application/json; charset=utf-8");
    }

    @Test
    void streamsServerSentEventsChunkByChunkAsTheyArrive() {
        RecordingSink sink = gateOpeningSink();

        backend.call(FakeWorker.at(server.url()), streamRequest(gatewayThread), sink);
        gates.get(0).complete(null);

        sink.awaitCompleted();
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.headers().first("content-type")).isEqualTo("text/event-stream");
        assertThat(sink.headers().values()).as("hop-by-hop headers stay on the upstream connection")
                .doesNotContainKeys("transfer-encoding", "connection");
        assertThat(sink.chunks()).as("each event delivered before the server wrote the next")
                .hasSizeGreaterThanOrEqualTo(EVENTS.size());
        assertThat(sink.body()).isEqualTo(String.join("", EVENTS));
        assertThat(sink.events().get(0)).isEqualTo("head 200");
        assertThat(sink.events().getLast()).isEqualTo("complete");
        assertThat(sink.threads()).containsOnly(gatewayThread);
    }

    @Test
    void deliversOnAPlainExecutorThatIsNotAnIoThread() {
        ExecutorService requestExecutor = Executors.newSingleThreadExecutor(r -> new Thread(r, "request-executor"));
        try {
            RecordingSink sink = gateOpeningSink();

            backend.call(FakeWorker.at(server.url()), streamRequest(requestExecutor), sink);
            gates.get(0).complete(null);

            sink.awaitCompleted();
            assertThat(sink.body()).isEqualTo(String.join("", EVENTS));
            assertThat(sink.events().getLast()).isEqualTo("complete");
            assertThat(sink.threads()).extracting(Thread::getName).containsOnly("request-executor");
        } finally {
            requestExecutor.shutdownNow();
        }
    }

    @Test
    void reusesOneKeepAliveConnectionForSequentialCalls() {
        for (int i = 0; i < 5; i++) {
            RecordingSink sink = call("/ok").awaitCompleted();
            assertThat(sink.body()).isEqualTo("ok");
        }

        assertThat(server.requests()).isEqualTo(5);
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void reusesConnectionsForCallsFromAPlainExecutor() {
        ExecutorService requestExecutor = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 3; i++) {
                RecordingSink sink = new RecordingSink();
                backend.call(FakeWorker.at(server.url()), get("/ok", requestExecutor), sink);
                sink.awaitCompleted();
            }
            assertThat(server.connections()).isEqualTo(1);
        } finally {
            requestExecutor.shutdownNow();
        }
    }

    @Test
    void opensANewConnectionWhenTheWorkerClosedTheIdleOne() {
        call("/ok-then-close").awaitCompleted();
        await().atMost(RecordingSink.PATIENCE).until(() -> server.closedConnections() == 1);

        RecordingSink second = call("/ok").awaitCompleted();

        assertThat(second.body()).isEqualTo("ok");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void retriesOnceOnAFreshConnectionWhenAPooledConnectionIsClosedBeforeAnyAnswer() {
        call("/drop-on-reuse").awaitCompleted();

        RecordingSink second = call("/drop-on-reuse").awaitCompleted();

        assertThat(second.body()).isEqualTo("ok");
        assertThat(second.events()).containsExactly("head 200", "data", "complete");
        assertThat(server.requests()).as("first call, the dropped reuse, the retry").isEqualTo(3);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void failsWithResetWhenTheRetryOfAStaleConnectionBreaksToo() {
        call("/ok").awaitCompleted();

        UpstreamFailure failure = call("/drop-always").awaitFailure();

        assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.RESET);
        assertThat(server.requests()).as("one call to /ok, the stale attempt and one retry").isEqualTo(3);
    }

    @Test
    void failsWithResetWithoutRetryWhenAFreshConnectionIsClosedBeforeAnyAnswer() {
        RecordingSink sink = call("/drop-always");

        assertThat(sink.awaitFailure().kind()).isEqualTo(UpstreamFailure.Kind.RESET);
        assertThat(sink.events()).containsExactly("failure RESET");
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void failsWithConnectWhenNothingListensOnThePort() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RecordingSink sink = new RecordingSink();

        backend.call(FakeWorker.at("http://127.0.0.1:" + closedPort), get("/ok"), sink);

        UpstreamFailure failure = sink.awaitFailure();
        assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT);
        assertThat(failure.message()).startsWith("connect refused");
        assertThat(sink.events()).containsExactly("failure CONNECT");
    }

    @Test
    void failsWithConnectWhenTheHostIsUnknown() {
        RecordingSink sink = new RecordingSink();

        backend.call(FakeWorker.at("http://no-such-worker.invalid:8000"), get("/ok"), sink);

        UpstreamFailure failure = sink.awaitFailure();
        assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT);
        assertThat(failure.message()).contains("no-such-worker.invalid");
    }

    @Test
    void failsWithTimeoutWhenTheWorkerNeverAnswersAndClosesTheConnection() throws IOException {
        try (RawUpstream silent = RawUpstream.answering("")) {
            RecordingSink sink = new RecordingSink();
            UpstreamRequest request = new UpstreamRequest("GET", "/never-answer", Headers.EMPTY, new byte[0], false,
                    Duration.ofMillis(200), gatewayThread);

            backend.call(FakeWorker.at(silent.url()), request, sink);

            assertThat(sink.awaitFailure().kind()).isEqualTo(UpstreamFailure.Kind.TIMEOUT);
            assertThat(sink.events()).containsExactly("failure TIMEOUT");
            await().atMost(RecordingSink.PATIENCE).until(silent::clientClosed);
        }
    }

    @Test
    void failsWithResetWhenTheWorkerDropsTheConnectionMidBody() {
        RecordingSink sink = call("/truncated");

        UpstreamFailure failure = sink.awaitFailure();

        assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.RESET);
        assertThat(sink.events().get(0)).isEqualTo("head 200");
        assertThat(sink.body()).isEqualTo("0123456789");
        assertThat(sink.events()).doesNotContain("complete");
    }

    @Test
    void failsWithResetWhenAChunkedBodyIsCutOff() {
        RecordingSink sink = call("/truncated-chunked");

        assertThat(sink.awaitFailure().kind()).isEqualTo(UpstreamFailure.Kind.RESET);
        assertThat(sink.events().get(0)).isEqualTo("head 200");
        assertThat(sink.events()).doesNotContain("complete");
    }

    @Test
    void failsWithProtocolWhenTheAnswerIsNotHttp() throws IOException {
        try (RawUpstream garbage = RawUpstream.answering("this is not http at all\r\n\r\n")) {
            RecordingSink sink = new RecordingSink();

            backend.call(FakeWorker.at(garbage.url()), get("/ok"), sink);

            assertThat(sink.awaitFailure().kind()).isEqualTo(UpstreamFailure.Kind.PROTOCOL);
            assertThat(sink.events()).containsExactly("failure PROTOCOL");
        }
    }

    @Test
    void cancelStopsDeliveryAndClosesTheUpstreamConnection() throws IOException {
        try (RawUpstream stream = RawUpstream.answering(RawUpstream.eventStreamStartingWith(EVENTS.get(0)))) {
            RecordingSink sink = new RecordingSink();
            BackendCall call = backend.call(FakeWorker.at(stream.url()), streamRequest(gatewayThread), sink);
            await().atMost(RecordingSink.PATIENCE).until(() -> sink.chunks().size() == 1);

            call.cancel();
            call.cancel();

            await().atMost(RecordingSink.PATIENCE).until(stream::clientClosed);
            assertThat(sink.events()).containsExactly("head 200", "data");
            assertThat(sink.body()).isEqualTo(EVENTS.get(0));
        }
    }

    @Test
    void cancelFromInsideTheSinkDeliversNothingMore() throws IOException {
        String twoEvents = RawUpstream.eventStreamStartingWith(EVENTS.get(0))
                + Integer.toHexString(EVENTS.get(1).length()) + "\r\n" + EVENTS.get(1) + "\r\n";
        try (RawUpstream stream = RawUpstream.answering(twoEvents)) {
            AtomicReference<BackendCall> call = new AtomicReference<>();
            RecordingSink sink = new RecordingSink().reactingToChunks((index, chunk) -> call.get().cancel());
            call.set(backend.call(FakeWorker.at(stream.url()), streamRequest(gatewayThread), sink));

            await().atMost(RecordingSink.PATIENCE).until(stream::clientClosed);
            assertThat(sink.events()).containsExactly("head 200", "data");
        }
    }

    @Test
    void pauseHoldsTheStreamUntilResume() {
        AtomicReference<BackendCall> call = new AtomicReference<>();
        RecordingSink sink = new RecordingSink().reactingToChunks((index, chunk) -> {
            if (index == 0) {
                // Called on the I/O thread inside onData: no further chunk may follow until resume.
                call.get().pause();
                call.get().pause();
                gates.subList(1, gates.size()).forEach(gate -> gate.complete(null));
            }
        });
        call.set(backend.call(FakeWorker.at(server.url()), streamRequest(gatewayThread), sink));
        gates.get(0).complete(null);

        await().atMost(RecordingSink.PATIENCE).until(() -> sink.chunks().size() == 1);
        await().during(Duration.ofMillis(300)).atMost(RecordingSink.PATIENCE)
                .until(() -> sink.chunks().size() == 1 && !sink.isDone());

        call.get().resume();
        call.get().resume();

        sink.awaitCompleted();
        assertThat(sink.body()).isEqualTo(String.join("", EVENTS));
    }

    @Test
    void pauseAndResumeInsideOnDataKeepSinkCallsSerial() {
        AtomicReference<BackendCall> call = new AtomicReference<>();
        RecordingSink sink = new RecordingSink().reactingToChunks((index, chunk) -> {
            call.get().pause();
            call.get().resume();
            if (index + 1 < gates.size()) {
                gates.get(index + 1).complete(null);
            }
        });
        call.set(backend.call(FakeWorker.at(server.url()), streamRequest(gatewayThread), sink));
        gates.get(0).complete(null);

        sink.awaitCompleted();
        assertThat(sink.body()).isEqualTo(String.join("", EVENTS));
        assertThat(sink.maxNesting()).isEqualTo(1);
    }

    @Test
    void usesTheLentWorkerAndBufferPoolAndLeavesThemRunningOnClose() {
        ByteBufferPool lentPool = new DefaultByteBufferPool(true, 4096);
        OpenAiHttpBackend lending = newBackend(TestPluginContext.lending(Map.of(
                XnioWorker.class, gatewayWorker, ByteBufferPool.class, lentPool)));
        try {
            RecordingSink sink = new RecordingSink();
            lending.call(FakeWorker.at(server.url()), get("/ok", Runnable::run), sink);
            sink.awaitCompleted();
            assertThat(sink.threads()).as("a plain executor's calls run on one of the lent worker's threads")
                    .allMatch(thread -> thread == gatewayThread);
        } finally {
            lending.close();
        }

        assertThat(gatewayWorker.isShutdown()).isFalse();
        assertThat(call("/ok").awaitCompleted().body()).isEqualTo("ok");
        lentPool.close();
    }

    @Test
    void closeClosesIdleConnections() {
        call("/ok").awaitCompleted();

        backend.close();

        await().atMost(RecordingSink.PATIENCE).until(() -> server.closedConnections() == 1);
    }
}
