package dev.shepherd.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.kernel.admission.AdmissionController;
import dev.shepherd.kernel.control.ControlPlane;
import dev.shepherd.kernel.manifest.Manifest;
import dev.shepherd.kernel.manifest.ManifestLoader;
import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.kernel.manifest.YamlTreeReader;
import dev.shepherd.kernel.plugin.Assembly;
import dev.shepherd.kernel.plugin.KernelServices;
import dev.shepherd.kernel.observe.RequestObservers;
import dev.shepherd.kernel.plugin.PluginHost;
import dev.shepherd.kernel.routing.PolicyRegistry;
import dev.shepherd.kernel.routing.Router;
import dev.shepherd.kernel.state.LocalStateStore;
import dev.shepherd.kernel.testing.FakeBackend;
import dev.shepherd.kernel.testing.InOrderPolicyFactory;
import dev.shepherd.kernel.testing.TestApi;
import dev.shepherd.kernel.worker.RegisteredWorker;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.middleware.HookResult;
import dev.shepherd.spi.middleware.Middleware;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The request path in process, without plugins from other modules: a real Undertow listener, the
 * kernel's handler, router and control plane, a tiny {@link TestApi}, a {@link FakeBackend} whose
 * workers answer as the test scripts, and the {@code in_order} policy found by PF4J on the test class
 * path. Driven over HTTP by the JDK client.
 */
class GatewayServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "http://worker-a:8000";
    private static final String B = "http://worker-b:8000";
    private static final String BASE = """
            server:
              host: 127.0.0.1
              port: 0
              max_payload_size: 1024
            routing:
              policy: in_order
            resilience:
              max_retries: 3
              initial_backoff_ms: 1
            apis: {}
            backends: {}
            """;

    @TempDir
    static Path dataRoot;

    private static XnioWorker io;
    private static DefaultByteBufferPool buffers;
    private static ExecutorService blocking;
    private static ScheduledExecutorService scheduler;
    private static PluginHost plugins;
    private static Assembly assembly;

    private final FakeBackend backend = new FakeBackend();
    private final WorkerRegistry registry = new WorkerRegistry(
            spec -> CompletableFuture.failedFuture(new IOException("not asked in these tests")), true);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RegisteredWorker workerA;
    private RegisteredWorker workerB;
    private GatewayServer server;

    @BeforeAll
    static void startSharedParts() throws IOException {
        io = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, 2)
                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 2)
                .set(Options.WORKER_NAME, "test-io")
                .getMap());
        buffers = new DefaultByteBufferPool(true, 16 * 1024);
        blocking = Executors.newVirtualThreadPerTaskExecutor();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        plugins = new PluginHost(dataRoot.resolve("no-plugins-here"), List.of());
        WorkerRegistry unused = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of()), true);
        KernelServices services = new KernelServices(Mappers.shared(), new SimpleMeterRegistry(),
                OpenTelemetry.noop().getTracer("test"), blocking, scheduler, Clock.systemUTC(), unused, unused,
                new LocalStateStore(), dataRoot, Map.of());
        assembly = Assembly.assemble(manifest(""), plugins, services);
    }

    @AfterAll
    static void stopSharedParts() throws InterruptedException {
        assembly.close();
        plugins.close();
        io.shutdown();
        io.awaitTermination(5, TimeUnit.SECONDS);
        buffers.close();
        blocking.shutdownNow();
        scheduler.shutdownNow();
    }

    @BeforeEach
    void registerTwoWorkers() {
        workerA = register(A);
        workerB = register(B);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
        http.shutdownNow();
    }

    @Test
    void anAnswerIsPassedThroughWithItsBodyAndHeaders() throws Exception {
        backend.answer(A, FakeBackend.json(201, "{\"id\":\"cmpl-1\",\"text\":\"hi\"}",
                Map.of("x-engine", "sim", "server", "engine/1.0", "x-request-id", "worker-id")));
        start("");
        String body = "{\"model\":\"m\",\"prompt\":\"Hello\"}";

        HttpResponse<String> response = http.send(post(body)
                .header("Authorization", "Bearer client-key")
                .header("X-Private", "stays here")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"id\":\"cmpl-1\",\"text\":\"hi\"}");
        assertThat(response.headers().firstValue("x-engine")).contains("sim");
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.headers().allValues("server")).doesNotContain("engine/1.0");
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(requestId).matches("req-[A-Za-z0-9]{24}");

        FakeBackend.Call call = single(backend.calls());
        assertThat(call.worker().url()).isEqualTo(A);
        assertThat(call.request().method()).isEqualTo("POST");
        assertThat(call.request().path()).isEqualTo(TestApi.UPSTREAM_PATH);
        assertThat(call.body()).as("the original bytes are forwarded").isEqualTo(body);
        assertThat(call.request().stream()).isFalse();
        assertThat(call.request().headers().first("authorization")).isEqualTo("Bearer client-key");
        assertThat(call.request().headers().first("x-request-id")).isEqualTo(requestId);
        assertThat(call.request().headers().contains("x-private")).isFalse();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(workerA.inFlight()).isZero();
            assertThat(workerA.routedRequests()).isEqualTo(1);
            assertThat(workerA.failedRequests()).isZero();
        });
    }

    @Test
    void theClientsRequestIdIsEchoedAndForwarded() throws Exception {
        backend.answer(A, FakeBackend.json(200, "{}", Map.of()));
        start("");

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").header("x-request-id", "client-7").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("x-request-id")).contains("client-7");
        assertThat(single(backend.calls()).request().headers().first("x-request-id")).isEqualTo("client-7");
    }

    @Test
    void eachRequestGetsItsOwnGeneratedId() throws Exception {
        start("");

        String first = http.send(get("/health"), HttpResponse.BodyHandlers.ofString()).headers().firstValue("x-request-id").orElseThrow();
        String second = http.send(get("/health"), HttpResponse.BodyHandlers.ofString()).headers().firstValue("x-request-id").orElseThrow();

        assertThat(first).startsWith("req-").isNotEqualTo(second);
    }

    @Test
    void anUnknownRouteIs404() throws Exception {
        start("");

        HttpResponse<String> response = http.send(get("/v1/nope"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(error(response).path("code").asText()).isEqualTo("not_found");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
    }

    @Test
    void aKnownRouteWithAnotherMethodIs405() throws Exception {
        start("");

        HttpResponse<String> response = http.send(get(TestApi.PATH), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(error(response).path("code").asText()).isEqualTo("method_not_allowed");
        assertThat(backend.calls()).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        start("");
        String big = "{\"model\":\"m\",\"prompt\":\"" + "x".repeat(2000) + "\"}";

        HttpResponse<String> response = http.send(post(big).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).path("code").asText()).isEqualTo("payload_too_large");
        assertThat(backend.calls()).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        start("");
        byte[] big = ("{\"model\":\"m\",\"prompt\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(TestApi.PATH))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(backend.calls()).isEmpty();
    }

    @Test
    void aBodyTheApiRefusesIs400NamingTheParameter() throws Exception {
        start("");

        HttpResponse<String> response = http.send(post("{\"prompt\":\"no model\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asText()).isEqualTo("missing_model");
        assertThat(error(response).path("param").asText()).isEqualTo("model");
    }

    @Test
    void aModelNoWorkerServesIs404() throws Exception {
        start("");

        HttpResponse<String> response = http.send(post("{\"model\":\"unknown\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(error(response).path("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void aModelWithoutAReadyWorkerIs503WithRetryAfter() throws Exception {
        registry.updateStatus(workerA, WorkerStatus.NOT_READY);
        registry.updateStatus(workerB, WorkerStatus.NOT_READY);
        start("");

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).contains("1");
        assertThat(error(response).path("code").asText()).isEqualTo("no_available_workers");
        assertThat(backend.calls()).isEmpty();
    }

    @Test
    void retriesOnAnotherWorkerWhenTheFirstRefusesTheConnection() throws Exception {
        backend.answer(A, FakeBackend.failure(UpstreamFailure.Kind.CONNECT, "connection refused"));
        backend.answer(B, FakeBackend.json(200, "{\"from\":\"b\"}", Map.of()));
        start("");

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"from\":\"b\"}");
        assertThat(backend.calledUrls()).containsExactly(A, B);
        assertThat(backend.calls().get(1).request().headers().first("x-request-id"))
                .as("a retry is the same request").isEqualTo(backend.calls().get(0).request().headers().first("x-request-id"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(workerA.failedRequests()).isEqualTo(1);
            assertThat(workerB.failedRequests()).isZero();
            assertThat(workerA.inFlight()).isZero();
            assertThat(workerB.inFlight()).isZero();
        });
    }

    @Test
    void whenEveryWorkerFailsTheClientGets502() throws Exception {
        backend.answer(A, FakeBackend.failure(UpstreamFailure.Kind.CONNECT, "connection refused"));
        backend.answer(B, FakeBackend.failure(UpstreamFailure.Kind.CONNECT, "connection refused"));
        start("");

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = error(response);
        assertThat(error.path("type").asText()).isEqualTo("upstream_error");
        assertThat(error.path("code").asText()).isEqualTo("bad_gateway");
        assertThat(error.path("message").asText()).contains("connection refused");
        assertThat(backend.calledUrls()).contains(A, B);
    }

    @Test
    void withRetriesDisabledOneFailureIsTheAnswer() throws Exception {
        backend.answer(A, FakeBackend.failure(UpstreamFailure.Kind.CONNECT, "connection refused"));
        backend.answer(B, FakeBackend.json(200, "{}", Map.of()));
        start("resilience:\n  disable_retries: true\n");

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(backend.calledUrls()).containsExactly(A);
    }

    @Test
    void serverSentEventsReachTheClientAsTheyArrive() throws Exception {
        CompletableFuture<Void> releaseRest = new CompletableFuture<>();
        backend.answer(A, (request, sink, call) -> {
            Executor ioThread = request.ioExecutor();
            ioThread.execute(() -> {
                sink.onHead(200, FakeBackend.sseHead());
                sink.onData(FakeBackend.utf8("data: {\"text\":\"one\"}\n\n"));
            });
            releaseRest.thenRun(() -> ioThread.execute(() -> {
                sink.onData(FakeBackend.utf8("data: {\"text\":\"two\"}\n\n"));
                sink.onData(FakeBackend.utf8("data: [DONE]\n\n"));
                sink.onComplete();
            }));
        });
        start("");
        LineCollector lines = new LineCollector();

        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(post("{\"model\":\"m\",\"stream\":true}").build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(lines));

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.lines.contains("data: {\"text\":\"one\"}"));
        assertThat(lines.lines).as("the second event has not been sent yet").doesNotContain("data: {\"text\":\"two\"}");
        assertThat(response).isNotDone();

        releaseRest.complete(null);

        assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(response.get().headers().firstValue("content-type")).contains("text/event-stream");
        assertThat(lines.lines).containsExactly("data: {\"text\":\"one\"}", "", "data: {\"text\":\"two\"}", "",
                "data: [DONE]", "");
        assertThat(single(backend.calls()).request().stream()).isTrue();
    }

    @Test
    void aStreamThatBreaksMidwayEndsWithAnErrorEvent() throws Exception {
        backend.answer(A, (request, sink, call) -> request.ioExecutor().execute(() -> {
            sink.onHead(200, FakeBackend.sseHead());
            sink.onData(FakeBackend.utf8("data: {\"text\":\"one\"}\n\n"));
            sink.onFailure(new UpstreamFailure(UpstreamFailure.Kind.RESET, "worker went away"));
        }));
        start("");

        HttpResponse<String> response = http.send(post("{\"model\":\"m\",\"stream\":true}").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = List.of(response.body().split("\n\n"));
        assertThat(response.body()).endsWith("\n\n");
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo("data: {\"text\":\"one\"}");
        assertThat(events.get(1)).startsWith("data: ");
        JsonNode error = JSON.readTree(events.get(1).substring(6)).path("error");
        assertThat(error.path("type").asText()).isEqualTo("upstream_error");
        assertThat(error.path("code").asText()).isEqualTo("bad_gateway");
        assertThat(error.path("message").asText()).contains("worker went away");
    }

    @Test
    void theApisOwnRoutesAreAnsweredLocally() throws Exception {
        start("");

        HttpResponse<String> response = http.send(get("/v1/test/models"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"data\":[]}");
        assertThat(backend.calls()).isEmpty();
    }

    @Test
    void adminRoutesNeedTheAdminKeyButProbesDoNot() throws Exception {
        start("server:\n  api_key: sk-admin\n");

        assertThat(http.send(get("/health"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = http.send(get("/workers"), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(error(refused).path("type").asText()).isEqualTo("authentication_error");
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(uri("/workers"))
                .header("Authorization", "Bearer sk-admin").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(listed.body()).path("total").asInt()).isEqualTo(2);
    }

    @Test
    void workersAddedThroughTheControlPlaneTakeTraffic() throws Exception {
        String c = "http://worker-c:8000";
        backend.answer(c, FakeBackend.json(200, "{\"from\":\"c\"}", Map.of()));
        start("");

        HttpResponse<String> added = http.send(HttpRequest.newBuilder(uri("/workers"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + c + "\",\"models\":[\"only-c\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> routed = http.send(post("{\"model\":\"only-c\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(added.statusCode()).isEqualTo(202);
        assertThat(routed.statusCode()).isEqualTo(200);
        assertThat(routed.body()).isEqualTo("{\"from\":\"c\"}");
    }

    @Test
    void middlewareMayAnswerInsteadOfTheWorker() throws Exception {
        backend.answer(A, FakeBackend.json(200, "{\"from\":\"a\"}", Map.of()));
        Middleware gate = new Middleware() {
            @Override
            public CompletionStage<HookResult> onRequest(GatewayRequest request) {
                return CompletableFuture.supplyAsync(() -> request.headers().contains("x-block")
                        ? new HookResult.Respond(429, Map.of("content-type", "application/json"),
                                "{\"blocked\":true}".getBytes(StandardCharsets.UTF_8))
                        : HookResult.Continue.INSTANCE, blocking);
            }
        };
        start("", List.of(gate));

        HttpResponse<String> blocked = http.send(post("{\"model\":\"m\"}").header("x-block", "1").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> passed = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).isEqualTo("{\"blocked\":true}");
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(backend.calls()).hasSize(1);
    }

    @Test
    void requestMiddlewareHeadersReachTheWorker() throws Exception {
        backend.answer(A, FakeBackend.json(200, "{}", Map.of()));
        Middleware tagger = new Middleware() {
            @Override
            public CompletionStage<HookResult> onRequest(GatewayRequest request) {
                return CompletableFuture.completedFuture(new HookResult.Modify(null, Map.of("x-injected", "yes"),
                        List.of("authorization"), null));
            }
        };
        start("", List.of(tagger));

        http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        var forwarded = single(backend.calls()).request().headers();
        assertThat(forwarded.first("x-injected")).isEqualTo("yes");
        assertThat(forwarded.contains("authorization")).isFalse();
    }

    @Test
    void responseHooksRunInReverseOrderAndMayChangeTheAnswer() throws Exception {
        backend.answer(A, FakeBackend.json(200, "{\"text\":\"hi\"}", Map.of("x-engine", "sim")));
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        Middleware outer = responseHook(order, "outer", view -> new HookResult.Modify(null, Map.of("x-outer",
                view.headers().first("x-inner")), List.of(), null));
        Middleware inner = responseHook(order, "inner", view -> new HookResult.Modify(201, Map.of("x-inner", "seen"),
                List.of("x-engine"), "{\"text\":\"changed\"}".getBytes(StandardCharsets.UTF_8)));
        start("", List.of(outer, inner));

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(order).containsExactly("inner", "outer");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"text\":\"changed\"}");
        assertThat(response.headers().firstValue("x-outer")).contains("seen");
        assertThat(response.headers().firstValue("x-engine")).isEmpty();
        assertThat(response.headers().firstValue("content-length")).contains("18");
    }

    @Test
    void aResponseHookMayReplaceTheAnswer() throws Exception {
        backend.answer(A, FakeBackend.json(200, "{\"text\":\"secret\"}", Map.of()));
        Middleware censor = responseHook(new java.util.ArrayList<>(), "censor", view -> new HookResult.Respond(451,
                Map.of(), "{\"error\":\"withheld\"}".getBytes(StandardCharsets.UTF_8)));
        start("", List.of(censor));

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(451);
        assertThat(response.body()).isEqualTo("{\"error\":\"withheld\"}");
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
    }

    @Test
    void streamEventHooksSeeAndReplaceEachEvent() throws Exception {
        backend.answer(A, (request, sink, call) -> request.ioExecutor().execute(() -> {
            sink.onHead(200, FakeBackend.sseHead());
            sink.onData(FakeBackend.utf8("data: {\"text\":\"one\"}\n\ndata: {\"te"));
            sink.onData(FakeBackend.utf8("xt\":\"two\"}\n\n"));
            sink.onData(FakeBackend.utf8("data: [DONE]\n\n"));
            sink.onComplete();
        }));
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Middleware upper = new Middleware() {
            @Override
            public CompletionStage<HookResult> onRequest(GatewayRequest request) {
                return CompletableFuture.completedFuture(HookResult.Continue.INSTANCE);
            }

            @Override
            public CompletionStage<HookResult> onResponse(GatewayRequest request, dev.shepherd.spi.middleware.ResponseView view) {
                String event = new String(view.body(), StandardCharsets.UTF_8);
                seen.add(event);
                return CompletableFuture.supplyAsync(() -> event.contains("two")
                        ? new HookResult.Modify(null, null, null, event.replace("two", "TWO").getBytes(StandardCharsets.UTF_8))
                        : HookResult.Continue.INSTANCE, blocking);
            }

            @Override
            public boolean wantsStreamEvents() {
                return true;
            }
        };
        start("", List.of(upper));
        LineCollector lines = new LineCollector();

        HttpResponse<Void> response = http.send(post("{\"model\":\"m\",\"stream\":true}").build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(lines));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly("data: {\"text\":\"one\"}\n\n", "data: {\"text\":\"two\"}\n\n", "data: [DONE]\n\n");
        assertThat(lines.lines).containsExactly("data: {\"text\":\"one\"}", "", "data: {\"text\":\"TWO\"}", "",
                "data: [DONE]", "");
    }

    @Test
    void anAnswerHeldForResponseHooksIsRetriedWhenItsWorkerFailsMidBody() throws Exception {
        backend.answer(A, (request, sink, call) -> request.ioExecutor().execute(() -> {
            sink.onHead(200, new dev.shepherd.spi.Headers(Map.of("content-type", List.of("application/json"),
                    "content-length", List.of("40"))));
            sink.onData(FakeBackend.utf8("{\"from\":"));
            sink.onFailure(new UpstreamFailure(UpstreamFailure.Kind.RESET, "reset mid-body"));
        }));
        backend.answer(B, FakeBackend.json(200, "{\"from\":\"b\"}", Map.of()));
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        start("", List.of(responseHook(order, "tag", view -> new HookResult.Modify(null, Map.of("x-hooked", "1"), List.of(), null))));

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"from\":\"b\"}");
        assertThat(response.headers().firstValue("x-hooked")).contains("1");
        assertThat(order).as("the hooks saw only the whole answer").containsExactly("tag");
        assertThat(backend.calledUrls()).containsExactly(A, B);
    }

    @Test
    void anAnswerOverTheHoldLimitPassesThroughWithoutHooks() throws Exception {
        String big = "{\"text\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        backend.answer(A, FakeBackend.json(200, big, Map.of()));
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        start("", List.of(responseHook(order, "tag", view -> new HookResult.Modify(null, Map.of("x-hooked", "1"), List.of(), null))));

        HttpResponse<String> response = http.send(post("{\"model\":\"m\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(big.length()).isEqualTo(big);
        assertThat(response.headers().firstValue("x-hooked")).isEmpty();
        assertThat(order).isEmpty();
    }

    private Middleware responseHook(List<String> order, String name,
                                    java.util.function.Function<dev.shepherd.spi.middleware.ResponseView, HookResult> hook) {
        return new Middleware() {
            @Override
            public CompletionStage<HookResult> onRequest(GatewayRequest request) {
                return CompletableFuture.completedFuture(HookResult.Continue.INSTANCE);
            }

            @Override
            public CompletionStage<HookResult> onResponse(GatewayRequest request, dev.shepherd.spi.middleware.ResponseView view) {
                return CompletableFuture.supplyAsync(() -> {
                    order.add(name);
                    return hook.apply(view);
                }, blocking);
            }
        };
    }

    @Test
    void aDrainingServerRefusesNewRequests() throws Exception {
        start("");

        server.drain(Duration.ZERO);

        assertThat(server.isDraining()).isTrue();
        assertThat(http.send(get("/health"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
    }

    // ---- helpers ----

    private void start(String extraYaml) {
        start(extraYaml, List.of());
    }

    private void start(String extraYaml, List<Middleware> middleware) {
        Manifest manifest = manifest(extraYaml);
        Router router = new Router(registry, new PolicyRegistry(assembly, manifest.routing(), registry),
                Map.of(WorkerSpec.DEFAULT_BACKEND, backend), null, manifest.resilience(), middleware);
        server = new GatewayServer(manifest.server(), io, buffers, List.of(new TestApi()),
                new ControlPlane(registry, () -> server.isDraining()), middleware, router,
                new AdmissionController(manifest.admission(), scheduler, System::nanoTime), new RequestObservers(List.of()));
        server.start();
    }

    /** The base manifest with {@code extraYaml}'s sections merged over it, one level deep. */
    private static Manifest manifest(String extraYaml) {
        var base = YamlTreeReader.read("test.yaml", BASE);
        var extra = YamlTreeReader.read("extra.yaml", extraYaml).root();
        extra.fields().forEachRemaining(section -> {
            var target = (com.fasterxml.jackson.databind.node.ObjectNode) base.root().get(section.getKey());
            if (target == null) {
                base.root().set(section.getKey(), section.getValue());
            } else {
                target.setAll((com.fasterxml.jackson.databind.node.ObjectNode) section.getValue());
            }
        });
        Manifest manifest = ManifestLoader.bind(base);
        assertThat(manifest.routing().policy()).isEqualTo(InOrderPolicyFactory.NAME);
        return manifest;
    }

    private RegisteredWorker register(String url) {
        return (RegisteredWorker) registry.register(WorkerSpec.of(url).withModels(List.of("m")))
                .toCompletableFuture().join();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpRequest.Builder post(String json) {
        return HttpRequest.newBuilder(uri(TestApi.PATH))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET().build();
    }

    private static JsonNode error(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.isObject()).as("an OpenAI-shaped error body: %s", response.body()).isTrue();
        assertThat(error.has("message")).isTrue();
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
        return error;
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    /** Collects the lines of a response body as they arrive. */
    private static final class LineCollector implements Flow.Subscriber<String> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            lines.add(line);
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
