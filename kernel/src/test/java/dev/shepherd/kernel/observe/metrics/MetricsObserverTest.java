package dev.shepherd.kernel.observe.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.kernel.manifest.ObservabilitySection;
import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.kernel.worker.CircuitBreaker;
import dev.shepherd.kernel.worker.RegisteredWorker;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.TokenUsage;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsObserverTest {

    private static final String CHAT = "/v1/chat/completions";

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final Histograms histograms = new Histograms(meters, ObservabilitySection.DEFAULT_DURATION_BUCKETS);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final WorkerRegistry registry = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of()), true,
            () -> new CircuitBreaker(new CircuitBreaker.Settings(2, 1, Duration.ofMinutes(1), Duration.ofMinutes(1)),
                    scheduler, System::nanoTime));
    private final WorkerMetrics workerMetrics = new WorkerMetrics(histograms, registry, null);
    private final MetricsObserver observer = new MetricsObserver(histograms, workerMetrics, registry::knowsModel,
            Set.of(408, 429, 500, 502, 503, 504));
    private final Worker first = register("http://a:1", "llama");
    private final Worker second = register("http://b:2", "llama");

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        workerMetrics.close();
    }

    @Test
    void countsEveryRequestOnceByRouteAndMethodAndItsAnswerByStatusClass() {
        ObservedRequest one = observer.begin(start("POST", CHAT));
        ObservedRequest two = observer.begin(start("POST", CHAT));
        assertThat(gauge("smg.http.requests.active")).isEqualTo(2);

        one.completed(200, null);
        two.completed(404, "model_not_found");
        two.completed(404, "model_not_found");

        assertThat(count(find("smg.http.requests").tag("method", "POST").tag("route", CHAT))).isEqualTo(2);
        assertThat(count(find("smg.http.responses").tag("route", CHAT).tag("status_code", "2xx").tag("error_code", "none")))
                .isEqualTo(1);
        assertThat(count(find("smg.http.responses").tag("status_code", "4xx").tag("error_code", "model_not_found")))
                .isEqualTo(1);
        assertThat(find("smg.http.request.duration").tag("route", CHAT).timer().count()).isEqualTo(2);
        assertThat(gauge("smg.http.requests.active")).isZero();
    }

    @Test
    void labelsTakenFromRequestsStayBounded() {
        ObservedRequest odd = observer.begin(start("BREW", "unmatched"));
        odd.parsed("a-model-nobody-serves", "chat", false);
        odd.completed(404, "model_not_found");

        assertThat(count(find("smg.http.requests").tag("method", "OTHER").tag("route", "unmatched"))).isEqualTo(1);
        assertThat(count(find("smg.router.requests").tag("model", "other"))).isEqualTo(1);
        assertThat(meters.find("smg.router.requests").tag("model", "a-model-nobody-serves").counter()).isNull();
    }

    @Test
    void aStreamRecordsTimeToFirstTokenTimePerTokenAndTokens() {
        long arrival = System.nanoTime();
        ObservedRequest r = observer.begin(new RequestStart("id", "POST", CHAT, CHAT, Headers.EMPTY, arrival));
        r.parsed("llama", "chat", true);
        r.attemptStarted(first, "round_robin", 1, new HashMap<>());
        r.responseStarted(200, true);
        assertThat(gauge("smg.router.streams.active")).isEqualTo(1);
        long firstToken = arrival + TimeUnit.MILLISECONDS.toNanos(40);
        long lastToken = firstToken + TimeUnit.MILLISECONDS.toNanos(90);
        r.attemptFinished(first, 1, 200, null);
        r.generated(10, firstToken, lastToken, new TokenUsage(5, 10, 2));
        r.completed(200, null);

        var ttft = find("smg.router.ttft").tag("model", "llama").timer();
        assertThat(ttft.count()).isEqualTo(1);
        assertThat(ttft.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(40, within(0.01));
        assertThat(find("smg.router.tpot").tag("model", "llama").timer().totalTime(TimeUnit.MILLISECONDS))
                .isCloseTo(10, within(0.01));
        assertThat(count(find("smg.router.tokens").tag("model", "llama").tag("token_type", "prompt"))).isEqualTo(5);
        assertThat(count(find("smg.router.tokens").tag("model", "llama").tag("token_type", "completion"))).isEqualTo(10);
        assertThat(count(find("smg.router.tokens").tag("model", "llama").tag("token_type", "cached"))).isEqualTo(2);
        assertThat(count(find("smg.router.requests").tag("model", "llama").tag("endpoint", "chat").tag("streaming", "true")))
                .isEqualTo(1);
        assertThat(find("smg.router.generation.duration").tag("model", "llama").timer().count()).isEqualTo(1);
        assertThat(find("smg.worker.request.duration").tag("worker", "http://a:1").timer().count()).isEqualTo(1);
        assertThat(gauge("smg.router.streams.active")).isZero();
    }

    @Test
    void withoutReportedUsageStreamedTokensCountAsCompletionTokens() {
        ObservedRequest r = observer.begin(start("POST", CHAT));
        r.parsed("llama", "chat", true);
        r.generated(7, System.nanoTime(), System.nanoTime(), null);
        r.completed(200, null);

        assertThat(count(find("smg.router.tokens").tag("model", "llama").tag("token_type", "completion"))).isEqualTo(7);
        assertThat(count(find("smg.router.tokens").tag("model", "llama").tag("token_type", "prompt"))).isZero();
    }

    @Test
    void aRetryCountsTheSelectionsErrorsAndBackoffOfEachAttempt() {
        ObservedRequest r = observer.begin(start("POST", CHAT));
        r.parsed("llama", "chat", false);
        r.attemptStarted(first, "round_robin", 1, new HashMap<>());
        r.attemptFinished(first, 1, 503, null);
        r.retryScheduled(first, 1, 50);
        r.attemptStarted(second, "round_robin", 2, new HashMap<>());
        r.attemptFinished(second, 2, 200, null);
        r.completed(200, null);

        assertThat(count(find("smg.worker.selection").tag("worker", "http://a:1").tag("model", "llama")
                .tag("policy", "round_robin"))).isEqualTo(1);
        assertThat(count(find("smg.worker.selection").tag("worker", "http://b:2"))).isEqualTo(1);
        assertThat(count(find("smg.worker.errors").tag("worker", "http://a:1").tag("error_type", "status_5xx"))).isEqualTo(1);
        assertThat(count(find("smg.worker.retries").tag("worker", "http://a:1"))).isEqualTo(1);
        assertThat(find("smg.worker.retry.backoff").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50);
        assertThat(count(find("smg.router.upstream.responses").tag("status_code", "5xx").tag("error_code", "none")))
                .isEqualTo(1);
        assertThat(count(find("smg.router.upstream.responses").tag("status_code", "2xx"))).isEqualTo(1);
        assertThat(count(find("smg.worker.retries.exhausted").tag("model", "llama"))).isZero();
        assertThat(meters.find("smg.router.request.errors").counter()).isNull();
    }

    @Test
    void aRequestWhoseRetriesAllFailedCountsAsExhaustedAndAsAnError() {
        ObservedRequest r = observer.begin(start("POST", CHAT));
        r.parsed("llama", "chat", false);
        r.attemptStarted(first, "round_robin", 1, new HashMap<>());
        r.attemptFinished(first, 1, -1, UpstreamFailure.Kind.CONNECT);
        r.retryScheduled(first, 1, 10);
        r.attemptStarted(second, "round_robin", 2, new HashMap<>());
        r.attemptFinished(second, 2, -1, UpstreamFailure.Kind.TIMEOUT);
        r.completed(504, "gateway_timeout");

        assertThat(count(find("smg.worker.retries.exhausted").tag("model", "llama"))).isEqualTo(1);
        assertThat(count(find("smg.worker.errors").tag("worker", "http://a:1").tag("error_type", "connect"))).isEqualTo(1);
        assertThat(count(find("smg.worker.errors").tag("worker", "http://b:2").tag("error_type", "timeout"))).isEqualTo(1);
        assertThat(count(find("smg.router.upstream.responses").tag("status_code", "none").tag("error_code", "timeout")))
                .isEqualTo(1);
        assertThat(count(find("smg.router.request.errors").tag("model", "llama").tag("error_type", "gateway_timeout")))
                .isEqualTo(1);
        assertThat(count(find("smg.http.responses").tag("status_code", "5xx").tag("error_code", "gateway_timeout")))
                .isEqualTo(1);
    }

    @Test
    void admissionDecisionsAreCountedByClassAndRateLimitResult() {
        ObservedRequest admitted = observer.begin(start("POST", CHAT));
        admitted.admitted("default", "interactive", TimeUnit.MILLISECONDS.toNanos(3));
        admitted.completed(200, null);
        ObservedRequest limited = observer.begin(start("POST", CHAT));
        limited.completed(429, "rate_limit_exceeded");

        assertThat(count(find("smg.scheduler.admit").tag("priority_class", "interactive"))).isEqualTo(1);
        assertThat(count(find("smg.scheduler.admit").tag("priority_class", "bulk"))).isZero();
        assertThat(find("smg.scheduler.queue.wait").tag("priority_class", "interactive").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3);
        assertThat(count(find("smg.http.rate.limit").tag("result", "allowed"))).isEqualTo(1);
        assertThat(count(find("smg.http.rate.limit").tag("result", "rejected"))).isEqualTo(1);
    }

    @Test
    void aStreamResumedOnAnotherWorkerIsCounted() {
        ObservedRequest r = observer.begin(start("POST", CHAT));
        r.parsed("llama", "chat", true);
        r.streamResumed(first, 12);
        r.completed(200, null);

        assertThat(count(find("smg.router.stream.resumptions").tag("model", "llama"))).isEqualTo(1);
    }

    @Test
    void breakerStateTransitionsAndOutcomesAreVisiblePerWorker() {
        RegisteredWorker worker = (RegisteredWorker) first;
        worker.recordOutcome(true);
        worker.recordOutcome(false);
        assertThat(gauge("smg.worker.cb.consecutive.failures", "http://a:1")).isEqualTo(1);
        worker.recordOutcome(false);

        assertThat(gauge("smg.worker.cb.state", "http://a:1")).isEqualTo(1);
        assertThat(gauge("smg.worker.cb.state", "http://b:2")).isZero();
        assertThat(count(find("smg.worker.cb.transitions").tag("worker", "http://a:1").tag("from", "closed").tag("to", "open")))
                .isEqualTo(1);
        assertThat(count(find("smg.worker.cb.transitions").tag("worker", "http://a:1").tag("from", "open")
                .tag("to", "half_open"))).isZero();
        assertThat(find("smg.worker.cb.outcomes").tag("worker", "http://a:1").tag("outcome", "failure").functionCounter()
                .count()).isEqualTo(2);
        assertThat(find("smg.worker.cb.outcomes").tag("worker", "http://a:1").tag("outcome", "success").functionCounter()
                .count()).isEqualTo(1);
    }

    @Test
    void aWorkersSeriesComeAndGoWithTheWorker() {
        assertThat(gauge("smg.worker.pool.size", null, "ready")).isEqualTo(2);
        assertThat(count(find("smg.discovery.registrations"))).isEqualTo(2);
        ((RegisteredWorker) first).requestStarted();
        assertThat(gauge("smg.worker.requests.active", "http://a:1")).isEqualTo(1);
        assertThat(gauge("smg.worker.health", "http://a:1")).isEqualTo(1);

        registry.deregister(first.id());

        assertThat(meters.find("smg.worker.requests.active").tag("worker", "http://a:1").gauge()).isNull();
        assertThat(meters.find("smg.worker.cb.transitions").tag("worker", "http://a:1").counters()).isEmpty();
        assertThat(meters.find("smg.worker.health").tag("worker", "http://b:2").gauge()).isNotNull();
        assertThat(gauge("smg.worker.pool.size", null, "ready")).isEqualTo(1);
        assertThat(count(find("smg.discovery.deregistrations"))).isEqualTo(1);
    }

    @Test
    void workerLabelsCarryNoCredentials() {
        assertThat(WorkerMeters.label("http://user:secret@gpu1:8000/?token=x")).isEqualTo("http://gpu1:8000");
        assertThat(WorkerMeters.label("http://gpu1:8000/")).isEqualTo("http://gpu1:8000");
    }

    private Worker register(String url, String model) {
        return registry.register(WorkerSpec.of(url).withModels(List.of(model))).toCompletableFuture().join();
    }

    private static RequestStart start(String method, String route) {
        return new RequestStart("req", method, route, route, Headers.EMPTY, System.nanoTime());
    }

    private RequiredSearch find(String name) {
        return meters.get(name);
    }

    private static double count(RequiredSearch search) {
        return search.counter().count();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double gauge(String name, String worker) {
        return meters.get(name).tag("worker", worker).gauge().value();
    }

    private double gauge(String name, String worker, String status) {
        return meters.get(name).tag("status", status).gauge().value();
    }
}
