package dev.shepherd.kernel.observe.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.kernel.manifest.ObservabilitySection;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.ProbeResult;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PluginCallMetricsTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final PluginCallMetrics calls = new PluginCallMetrics(
            new Histograms(meters, ObservabilitySection.DEFAULT_DURATION_BUCKETS));

    @Test
    void aPolicysSelectionsAreCountedByOutcomeAndTimed() {
        AtomicInteger completions = new AtomicInteger();
        Policy measured = calls.measure(new Policy() {
            int n;

            @Override
            public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
                if (++n == 3) {
                    throw new IllegalStateException("boom");
                }
                return n == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
            }

            @Override
            public void onComplete(Worker worker, GatewayRequest request, boolean success) {
                completions.incrementAndGet();
            }
        }, "policy-basic", "round_robin");
        Worker w = new dev.shepherd.kernel.worker.WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of()), true)
                .register(WorkerSpec.of("http://a:1").withModels(List.of("m"))).toCompletableFuture().join();

        assertThat(measured.select(List.of(w), null)).contains(w);
        assertThat(measured.select(List.of(w), null)).isEmpty();
        assertThatThrownBy(() -> measured.select(List.of(w), null)).hasMessage("boom");
        measured.onComplete(w, null, true);

        assertThat(calls("select", "ok")).isEqualTo(1);
        assertThat(calls("select", "none")).isEqualTo(1);
        assertThat(calls("select", "error")).isEqualTo(1);
        assertThat(meters.get("smg.plugin.call.duration").tag("plugin", "policy-basic").tag("extension", "round_robin")
                .tag("method", "select").timer().count()).isEqualTo(3);
        assertThat(completions).hasValue(1);
    }

    @Test
    void theMeasuredBackendPassesOnEveryBackendMethodItsDefaultWouldHide() {
        // A default SPI method the wrapper does not override would answer for the plugin (e.g. a dp_size of 1).
        for (java.lang.reflect.Method method : Backend.class.getMethods()) {
            if (!java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                assertThat(declares(method)).as("MeasuredBackend overrides %s", method).isTrue();
            }
        }
    }

    private static boolean declares(java.lang.reflect.Method method) {
        try {
            MeasuredBackend.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Test
    void aBackendsCallsAndProbesAreCountedByOutcome() {
        Backend measured = calls.measure(new Backend() {
            int probes;

            @Override
            public BackendCall call(Worker worker, UpstreamRequest request, ResponseSink sink) {
                return null;
            }

            @Override
            public CompletionStage<List<String>> discoverModels(WorkerSpec spec, Duration timeout) {
                return CompletableFuture.failedFuture(new java.io.IOException("refused"));
            }

            @Override
            public CompletionStage<ProbeResult> probe(Worker worker, String path, Duration timeout) {
                return CompletableFuture.completedFuture(new ProbeResult(++probes == 1, "200"));
            }
        }, "backend-openai-http", "openai_http");

        measured.call(null, null, null);
        measured.probe(null, "/health", Duration.ofSeconds(1));
        measured.probe(null, "/health", Duration.ofSeconds(1));
        measured.discoverModels(WorkerSpec.of("http://a:1"), Duration.ofSeconds(1));

        assertThat(calls("call", "ok")).isEqualTo(1);
        assertThat(calls("probe", "healthy")).isEqualTo(1);
        assertThat(calls("probe", "unhealthy")).isEqualTo(1);
        assertThat(calls("discover_models", "error")).isEqualTo(1);
    }

    @Test
    void withMetricsOffProductsAreNotWrapped() {
        Policy policy = (candidates, request) -> Optional.empty();

        assertThat(PluginCallMetrics.disabled().measure(policy, "p", "e")).isSameAs(policy);
    }

    private double calls(String method, String outcome) {
        return meters.get("smg.plugin.calls").tag("method", method).tag("outcome", outcome).counter().count();
    }
}
