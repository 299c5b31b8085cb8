package dev.shepherd.kernel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.testing.FakeBackend;
import dev.shepherd.spi.backend.LoadReport;
import dev.shepherd.spi.worker.WorkerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rounds are driven by the test ({@link LoadMonitor#pollAll}); the periodic one waits an hour. */
class LoadMonitorTest {

    private static final Duration NO_PERIODIC_ROUNDS = Duration.ofHours(1);

    private final FakeBackend backend = new FakeBackend();
    private final WorkerRegistry registry = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of("m")), true);
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final AtomicBoolean wanted = new AtomicBoolean(true);
    private LoadMonitor monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aReportedKvUsageReachesTheWorkersLoad() {
        RegisteredWorker worker = register("http://a:1");
        backend.setLoadReport("http://a:1", CompletableFuture.completedFuture(Optional.of(new LoadReport(0.8, 2, 1))));
        start();

        monitor.pollAll();

        assertThat(worker.load().kvCacheUsage()).isEqualTo(0.8);
    }

    @Test
    void nothingIsPolledWhileNoPolicyReadsReports() {
        RegisteredWorker worker = register("http://a:1");
        wanted.set(false);
        start();
        int before = backend.loadPolls(worker);

        monitor.pollAll();
        monitor.pollAll();

        assertThat(backend.loadPolls(worker)).isEqualTo(before);
        assertThat(worker.load().kvCacheUsage()).isEqualTo(-1);
    }

    @Test
    void aWorkerThatHasNotAnsweredIsNotAskedAgain() {
        RegisteredWorker slow = register("http://slow:1");
        CompletableFuture<Optional<LoadReport>> pending = new CompletableFuture<>();
        backend.setLoadReport("http://slow:1", pending);
        start();

        monitor.pollAll();
        monitor.pollAll();
        assertThat(backend.loadPolls(slow)).isEqualTo(1);

        pending.complete(Optional.of(new LoadReport(0.5, -1, -1)));
        monitor.pollAll();
        assertThat(backend.loadPolls(slow)).isEqualTo(2);
        assertThat(slow.load().kvCacheUsage()).isEqualTo(0.5);
    }

    private void start() {
        monitor = new LoadMonitor(registry, name -> backend, wanted::get, NO_PERIODIC_ROUNDS, scheduler);
    }

    private RegisteredWorker register(String url) {
        return (RegisteredWorker) registry.register(WorkerSpec.of(url).withModels(List.of("m"))).toCompletableFuture().join();
    }
}
