package dev.shepherd.kernel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.kernel.manifest.HealthSection;
import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.kernel.testing.FakeBackend;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Probes run on one real scheduler thread, so each probe the test asks for (through
 * {@link HealthChecker#suspect}) has finished once the scheduler has run a later task. With a long
 * check interval only the first probe is periodic; the rest are driven by the test, one at a time.
 */
class HealthCheckerTest {

    private static final int NO_PERIODIC_PROBES = 600;

    private final FakeBackend backend = new FakeBackend();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final ModelDiscoverer discoverer = spec -> reachable.get()
            ? CompletableFuture.completedFuture(List.of("learned"))
            : CompletableFuture.failedFuture(new IOException("connection refused"));
    private final WorkerRegistry registry = new WorkerRegistry(discoverer, false);
    private HealthChecker checker;

    HealthCheckerTest() {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() throws Exception {
        if (checker != null) {
            checker.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aNewWorkerServesAfterItsFirstGoodProbe() {
        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));

        RegisteredWorker worker = register("http://a:1");

        await().atMost(Duration.ofSeconds(5)).until(() -> worker.status() == WorkerStatus.READY);
        assertThat(backend.probes(worker)).isEqualTo(1);
        assertThat(registry.availableFor("m")).containsExactly(worker);
        assertThat(worker.lastProbe()).isEqualTo("200");
    }

    @Test
    void aNewWorkerStaysPendingWhileItsProbesFail() throws Exception {
        backend.setHealthy(false);
        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));

        RegisteredWorker worker = register("http://a:1");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.probes(worker) == 1);
        probeNow(worker);
        probeNow(worker);
        probeNow(worker);

        assertThat(backend.probes(worker)).isEqualTo(4);
        assertThat(worker.status()).isEqualTo(WorkerStatus.PENDING);

        backend.setHealthy(true);
        probeNow(worker);

        assertThat(worker.status()).isEqualTo(WorkerStatus.READY);
    }

    @Test
    void aReadyWorkerStopsServingAfterFailureThresholdFailedProbes() throws Exception {
        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));
        RegisteredWorker worker = readyWorker("http://a:1");
        backend.setHealthy(false);

        probeNow(worker);
        probeNow(worker);

        assertThat(worker.status()).isEqualTo(WorkerStatus.READY);

        probeNow(worker);

        assertThat(worker.status()).isEqualTo(WorkerStatus.NOT_READY);
        assertThat(worker.lastProbe()).isEqualTo("503");
        assertThat(registry.availableFor("m")).isEmpty();
    }

    @Test
    void aNotReadyWorkerServesAgainAfterSuccessThresholdGoodProbes() throws Exception {
        start(health(NO_PERIODIC_PROBES, 1, 1, 2, "/health"));
        RegisteredWorker worker = readyWorker("http://a:1");
        backend.setHealthy(false);
        probeNow(worker);
        assertThat(worker.status()).isEqualTo(WorkerStatus.NOT_READY);
        backend.setHealthy(true);

        probeNow(worker);

        assertThat(worker.status()).isEqualTo(WorkerStatus.NOT_READY);

        probeNow(worker);

        assertThat(worker.status()).isEqualTo(WorkerStatus.READY);
        assertThat(registry.availableFor("m")).containsExactly(worker);
    }

    @Test
    void aGoodProbeRestartsTheCountOfFailures() throws Exception {
        start(health(NO_PERIODIC_PROBES, 1, 2, 1, "/health"));
        RegisteredWorker worker = readyWorker("http://a:1");

        backend.setHealthy(false);
        probeNow(worker);
        backend.setHealthy(true);
        probeNow(worker);
        backend.setHealthy(false);
        probeNow(worker);

        assertThat(worker.status()).isEqualTo(WorkerStatus.READY);
    }

    @Test
    void aProbeThatFailsOutrightCountsAsAFailedProbe() throws Exception {
        start(health(NO_PERIODIC_PROBES, 1, 1, 1, "/health"));
        RegisteredWorker worker = readyWorker("http://a:1");
        backend.setProbeAnswer("http://a:1", CompletableFuture.failedFuture(new IOException("connection reset")));

        probeNow(worker);

        assertThat(worker.status()).isEqualTo(WorkerStatus.NOT_READY);
        assertThat(worker.lastProbe()).contains("connection reset");
    }

    @Test
    void aSuspectedWorkerIsProbedAtOnce() {
        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));
        RegisteredWorker worker = readyWorker("http://a:1");
        assertThat(backend.probes(worker)).isEqualTo(1);

        checker.suspect(worker);

        await().atMost(Duration.ofSeconds(5)).until(() -> backend.probes(worker) == 2);
    }

    @Test
    void workersAreProbedAgainEveryCheckInterval() {
        start(health(1, 1, 3, 2, "/health"));

        RegisteredWorker worker = register("http://a:1");

        await().atMost(Duration.ofSeconds(10)).until(() -> backend.probes(worker) >= 2);
    }

    @Test
    void aRemovedWorkerIsNoLongerProbed() throws Exception {
        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));
        RegisteredWorker worker = readyWorker("http://a:1");

        registry.deregister(worker.id());
        checker.suspect(worker);
        drainScheduler();

        assertThat(backend.probes(worker)).isEqualTo(1);
        assertThat(scheduler.getQueue()).as("its periodic probe is cancelled").isEmpty();
    }

    @Test
    void workersRegisteredBeforeTheCheckerStartsAreProbedToo() {
        RegisteredWorker worker = register("http://a:1");

        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));

        await().atMost(Duration.ofSeconds(5)).until(() -> worker.status() == WorkerStatus.READY);
    }

    @Test
    void aWorkerRegisteredWhileUnreachableLearnsItsModelsBeforeServing() {
        reachable.set(false);
        backend.setHealthy(false);
        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));
        RegisteredWorker worker = (RegisteredWorker) registry.register(WorkerSpec.of("http://late:1")).toCompletableFuture().join();
        assertThat(worker.needsDiscovery()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.probes(worker) == 1);

        reachable.set(true);
        backend.setHealthy(true);
        checker.suspect(worker);

        await().atMost(Duration.ofSeconds(5)).until(() -> worker.status() == WorkerStatus.READY);
        assertThat(worker.models()).containsExactly("learned");
        assertThat(worker.needsDiscovery()).isFalse();
        assertThat(registry.availableFor("learned")).containsExactly(worker);
    }

    @Test
    void closingStopsEveryProbe() throws Exception {
        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));
        RegisteredWorker worker = readyWorker("http://a:1");

        checker.close();
        drainScheduler();

        assertThat(scheduler.getQueue()).isEmpty();
        register("http://b:1");
        drainScheduler();
        assertThat(scheduler.getQueue()).as("new workers are not tracked after close").isEmpty();
        assertThat(backend.probes(worker)).isEqualTo(1);
    }

    @Test
    void theConfiguredEndpointIsProbedWithTheConfiguredTimeout() {
        start(health(NO_PERIODIC_PROBES, 7, 3, 2, "/ready"));

        RegisteredWorker worker = register("http://a:1");

        await().atMost(Duration.ofSeconds(5)).until(() -> backend.probes(worker) == 1);
        assertThat(backend.probeRequests()).containsExactly("http://a:1/ready 7s");
    }

    @Test
    void aWorkerWhoseBackendIsNotLoadedIsNotProbed() throws Exception {
        start(health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"));

        RegisteredWorker worker = (RegisteredWorker) registry.register(new WorkerSpec("http://a:1", List.of("m"), null,
                "grpc", null, null, null, null)).toCompletableFuture().join();
        drainScheduler();

        assertThat(backend.probes(worker)).isZero();
        assertThat(worker.status()).isEqualTo(WorkerStatus.PENDING);
    }

    /** A {@code health} section as the manifest binds it (later keys keep their defaults). */
    private static HealthSection health(int intervalSecs, int timeoutSecs, int failureThreshold, int successThreshold,
                                        String endpoint) {
        return Mappers.binding().convertValue(Map.of("check_interval_secs", intervalSecs,
                "check_timeout_secs", timeoutSecs, "failure_threshold", failureThreshold,
                "success_threshold", successThreshold, "endpoint", endpoint), HealthSection.class);
    }

    @Test
    void periodicProbesSkipWorkersAnotherMeshNodeOwnsButTrafficFailuresStillProbeHere() {
        checker = new HealthChecker(registry, name -> name.equals(WorkerSpec.DEFAULT_BACKEND) ? backend : null,
                discoverer, health(NO_PERIODIC_PROBES, 1, 3, 2, "/health"), scheduler, url -> url.equals("http://mine:1"));
        RegisteredWorker mine = register("http://mine:1");
        RegisteredWorker theirs = register("http://theirs:1");
        await().atMost(Duration.ofSeconds(5)).until(() -> mine.status() == WorkerStatus.READY);
        assertThat(backend.probes(theirs)).isZero();
        assertThat(theirs.status()).isEqualTo(WorkerStatus.PENDING);

        checker.suspect(theirs);
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.probes(theirs) == 1);
    }

    private void start(HealthSection config) {
        checker = new HealthChecker(registry, name -> name.equals(WorkerSpec.DEFAULT_BACKEND) ? backend : null,
                discoverer, config, scheduler);
    }

    private RegisteredWorker register(String url) {
        return (RegisteredWorker) registry.register(WorkerSpec.of(url).withModels(List.of("m")))
                .toCompletableFuture().join();
    }

    private RegisteredWorker readyWorker(String url) {
        RegisteredWorker worker = register(url);
        await().atMost(Duration.ofSeconds(5)).until(() -> worker.status() == WorkerStatus.READY);
        return worker;
    }

    /** Asks for a probe and waits until it has been recorded. */
    private void probeNow(RegisteredWorker worker) throws Exception {
        int before = backend.probes(worker);
        checker.suspect(worker);
        drainScheduler();
        assertThat(backend.probes(worker)).as("one probe per request").isEqualTo(before + 1);
    }

    /** Waits until the scheduler has run everything submitted so far (it has a single thread). */
    private void drainScheduler() throws Exception {
        scheduler.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }
}
