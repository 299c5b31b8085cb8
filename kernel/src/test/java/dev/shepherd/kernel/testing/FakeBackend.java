package dev.shepherd.kernel.testing;

import dev.shepherd.spi.Headers;
import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.LoadReport;
import dev.shepherd.spi.backend.ProbeResult;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.backend.UpstreamRequest;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Backend} whose answers the test scripts per worker URL: calls answer through the request's
 * I/O executor as a real backend would, probes answer with whatever health the test set, and every
 * call and probe is recorded.
 */
public final class FakeBackend implements Backend {

    /** How a worker answers one call. Runs on the caller's thread; must deliver through {@code request.ioExecutor()}. */
    @FunctionalInterface
    public interface Answer {
        void start(UpstreamRequest request, ResponseSink sink, FakeCall call);
    }

    /** One call the backend received. */
    public record Call(Worker worker, UpstreamRequest request, FakeCall handle) {
        public String body() {
            return new String(request.body(), StandardCharsets.UTF_8);
        }
    }

    /** The handle of a call: remembers what the gateway asked of it. */
    public static final class FakeCall implements BackendCall {
        public volatile boolean cancelled;
        public final AtomicInteger pauses = new AtomicInteger();
        public final AtomicInteger resumes = new AtomicInteger();

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public void pause() {
            pauses.incrementAndGet();
        }

        @Override
        public void resume() {
            resumes.incrementAndGet();
        }
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, CompletionStage<ProbeResult>> probeAnswers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    private final List<String> probeRequests = new CopyOnWriteArrayList<>();
    private volatile CompletionStage<ProbeResult> defaultProbeAnswer = CompletableFuture.completedFuture(new ProbeResult(true, "200"));
    private final Map<String, CompletionStage<Optional<LoadReport>>> loadReports = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> loadPolls = new ConcurrentHashMap<>();
    private volatile CompletionStage<List<String>> discoveredModels = CompletableFuture.completedFuture(List.of());

    /** Scripts the answer of the worker at {@code url}. */
    public FakeBackend answer(String url, Answer answer) {
        answers.put(url, answer);
        return this;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** URLs of the workers called, in call order. */
    public List<String> calledUrls() {
        List<String> urls = new ArrayList<>();
        calls.forEach(c -> urls.add(c.worker().url()));
        return urls;
    }

    /** Every worker's probes answer healthy or not from now on (unless set per worker). */
    public void setHealthy(boolean healthy) {
        defaultProbeAnswer = CompletableFuture.completedFuture(new ProbeResult(healthy, healthy ? "200" : "503"));
    }

    /** The worker at {@code url} answers its probes with {@code result} from now on. */
    public void setProbeAnswer(String url, CompletionStage<ProbeResult> result) {
        probeAnswers.put(url, result);
    }

    public int probes(Worker worker) {
        AtomicInteger count = probes.get(worker.url());
        return count == null ? 0 : count.get();
    }

    /** Every probe asked for, as {@code "<url><path> <timeout seconds>s"}. */
    public List<String> probeRequests() {
        return List.copyOf(probeRequests);
    }

    /** The worker at {@code url} answers load polls with {@code report} from now on (else with none). */
    public void setLoadReport(String url, CompletionStage<Optional<LoadReport>> report) {
        loadReports.put(url, report);
    }

    public int loadPolls(Worker worker) {
        AtomicInteger count = loadPolls.get(worker.url());
        return count == null ? 0 : count.get();
    }

    @Override
    public CompletionStage<Optional<LoadReport>> reportLoad(Worker worker, Duration timeout) {
        loadPolls.computeIfAbsent(worker.url(), u -> new AtomicInteger()).incrementAndGet();
        return loadReports.getOrDefault(worker.url(), CompletableFuture.completedFuture(Optional.empty()));
    }

    public void setDiscoveredModels(CompletionStage<List<String>> models) {
        discoveredModels = models;
    }

    @Override
    public BackendCall call(Worker worker, UpstreamRequest request, ResponseSink sink) {
        FakeCall handle = new FakeCall();
        calls.add(new Call(worker, request, handle));
        Answer answer = answers.get(worker.url());
        if (answer == null) {
            request.ioExecutor().execute(() -> sink.onFailure(
                    new UpstreamFailure(UpstreamFailure.Kind.CONNECT, "no answer scripted for " + worker.url())));
        } else {
            answer.start(request, sink, handle);
        }
        return handle;
    }

    @Override
    public CompletionStage<List<String>> discoverModels(WorkerSpec spec, Duration timeout) {
        return discoveredModels;
    }

    @Override
    public CompletionStage<ProbeResult> probe(Worker worker, String path, Duration timeout) {
        probeRequests.add(worker.url() + path + " " + timeout.toSeconds() + "s");
        probes.computeIfAbsent(worker.url(), u -> new AtomicInteger()).incrementAndGet();
        return probeAnswers.getOrDefault(worker.url(), defaultProbeAnswer);
    }

    // ---- common answers ----

    /** A complete JSON answer with a content length, delivered in one piece. */
    public static Answer json(int status, String body, Map<String, String> extraHeaders) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return (request, sink, call) -> request.ioExecutor().execute(() -> {
            Map<String, List<String>> headers = new java.util.HashMap<>();
            headers.put("content-type", List.of("application/json"));
            headers.put("content-length", List.of(Integer.toString(bytes.length)));
            extraHeaders.forEach((k, v) -> headers.put(k, List.of(v)));
            sink.onHead(status, new Headers(headers));
            sink.onData(ByteBuffer.wrap(bytes));
            sink.onComplete();
        });
    }

    /** The connection cannot be made. */
    public static Answer failure(UpstreamFailure.Kind kind, String message) {
        return (request, sink, call) -> request.ioExecutor().execute(
                () -> sink.onFailure(new UpstreamFailure(kind, message)));
    }

    /** Head of a server-sent-event stream: no content length. */
    public static Headers sseHead() {
        return new Headers(Map.of("content-type", List.of("text/event-stream")));
    }

    public static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
