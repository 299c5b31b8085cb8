package dev.shepherd.kernel.observe.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shepherd.kernel.admission.AdmissionController;
import dev.shepherd.kernel.manifest.AdmissionSection;
import dev.shepherd.kernel.manifest.ObservabilitySection;
import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestObserver;
import dev.shepherd.kernel.observe.RequestObservers;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.TokenUsage;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * What the metrics observer costs per request, in CPU time (not wall time, so a busy machine skews it
 * little): every hook the request path calls for a non-streamed chat and for a 64-token stream, with
 * the metrics observer and with none; and one {@code Policy.select} with and without the kernel's
 * measuring wrapper. A benchmark, not a test: skipped unless {@code -Dshepherd.bench=true}:
 *
 * <pre>./mvnw -o test -pl kernel -Dtest=ObserverCostBenchmarkTest -Dshepherd.bench=true -DargLine=-XX:+UseParallelGC</pre>
 * (ParallelGC, as {@code bin/smg} runs the gateway)
 */
class ObserverCostBenchmarkTest {

    private static final int OPS = 1_000_000;
    private static final String CHAT = "/v1/chat/completions";

    @Test
    void cpuTimePerRequest() {
        assumeTrue(Boolean.getBoolean("shepherd.bench"), "a benchmark: run with -Dshepherd.bench=true");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            WorkerRegistry registry = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of()), true);
            Worker worker = registry.register(WorkerSpec.of("http://127.0.0.1:8000").withModels(List.of("m")))
                    .toCompletableFuture().join();
            GatewayMetrics metrics = new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    new ObservabilitySection(null, null, null, null, null));
            AdmissionSection admission = new AdmissionSection(null, null, null, null, null, null, null, null, null);
            RequestObserver measured = metrics.observer(registry, null,
                    new AdmissionController(admission, scheduler, System::nanoTime), admission, Set.of(500, 502, 503, 504));
            RequestObserver none = new RequestObservers(List.of());

            double chatNone = perRequest(none, worker, false);
            double chatMetrics = perRequest(measured, worker, false);
            double streamNone = perRequest(none, worker, true);
            double streamMetrics = perRequest(measured, worker, true);

            Policy plain = (candidates, request) -> Optional.of(candidates.get(0));
            Policy wrapped = metrics.pluginCalls().measure(plain, "policy-basic", "round_robin");
            List<Worker> candidates = List.of(worker);
            double selectPlain = perCall(() -> plain.select(candidates, null));
            double selectMeasured = perCall(() -> wrapped.select(candidates, null));

            System.out.printf("observer CPU per request: chat %.0f ns (none: %.0f ns), 64-token stream %.0f ns (none: %.0f ns);"
                    + " a measured Policy.select %.0f ns (unwrapped: %.0f ns)%n",
                    chatMetrics, chatNone, streamMetrics, streamNone, selectMeasured, selectPlain);
            assertThat(chatMetrics).isPositive();
            metrics.close();
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** The median over 7 runs of {@value #OPS} requests, after 3 × {@value #OPS} of warm-up. */
    private static double perRequest(RequestObserver observer, Worker worker, boolean stream) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 3 * OPS; i++) {
            sink += request(observer, worker, stream).hashCode();
        }
        double[] runs = new double[7];
        for (int r = 0; r < runs.length; r++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS; i++) {
                sink += request(observer, worker, stream).hashCode();
            }
            runs[r] = (threads.getCurrentThreadCpuTime() - start) / (double) OPS;
        }
        assertThat(sink).isNotEqualTo(42);
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }

    private static double perCall(java.util.function.Supplier<Object> call) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 3 * OPS; i++) {
            sink += call.get().hashCode();
        }
        double[] runs = new double[7];
        for (int r = 0; r < runs.length; r++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS; i++) {
                sink += call.get().hashCode();
            }
            runs[r] = (threads.getCurrentThreadCpuTime() - start) / (double) OPS;
        }
        assertThat(sink).isNotEqualTo(42);
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }

    private static ObservedRequest request(RequestObserver observer, Worker worker, boolean stream) {
        long start = System.nanoTime();
        ObservedRequest r = observer.begin(new RequestStart("id", "POST", CHAT, CHAT, Headers.EMPTY, start));
        r.parsed("m", "chat", stream);
        r.attemptStarted(worker, "round_robin", 1, null);
        r.responseStarted(200, stream);
        r.attemptFinished(worker, 1, 200, null);
        if (stream) {
            r.generated(64, start + 1_000, start + 64_000, new TokenUsage(12, 64, 0));
        } else {
            r.generated(0, 0, 0, new TokenUsage(12, 1, 0));
        }
        r.completed(200, null);
        return r;
    }
}
