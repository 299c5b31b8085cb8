package dev.shepherd.kernel.observe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.manifest.ObservabilitySection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.DefaultByteBufferPool;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

class MetricsServerTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private XnioWorker ioWorker;
    private GatewayMetrics metrics;
    private MetricsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (ioWorker != null) {
            ioWorker.shutdownNow();
        }
    }

    @Test
    void servesTheRegistryInPrometheusTextFormatOnItsOwnPort() throws Exception {
        start(section(0, List.of()));
        Counter.builder("smg.test.things").register(registry).increment(3);

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue(ScrapeHandler.CONTENT_TYPE);
        assertThat(r.body()).contains("smg_test_things_total 3.0").contains("smg_gateway_info{")
                .contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
        assertThat(get("/other").statusCode()).isEqualTo(404);
    }

    @Test
    void durationBucketsCanBeConfigured() throws Exception {
        start(section(0, List.of(0.3, 0.1)));
        metrics.pluginCalls().measure((candidates, request) -> java.util.Optional.empty(), "p", "e").select(List.of(), null);
        new Histograms(registry, section(0, List.of(0.3, 0.1)).prometheusDurationBuckets())
                .duration("smg.test.duration", "test", io.micrometer.core.instrument.Tags.empty());

        String body = get("/metrics").body();

        assertThat(body).contains("smg_test_duration_seconds_bucket{le=\"0.1\"}")
                .contains("smg_test_duration_seconds_bucket{le=\"0.3\"}")
                .doesNotContain("smg_test_duration_seconds_bucket{le=\"7200.0\"}")
                .contains("smg_plugin_call_duration_seconds_bucket{extension=\"e\",method=\"select\",plugin=\"p\",le=\"1.0E-6\"}");
    }

    @Test
    void aPortInUseIsReportedWithoutStoppingTheGateway() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            start(section(taken.getLocalPort(), List.of()));
            assertThat(server.port()).isEqualTo(-1);
        }
    }

    private void start(ObservabilitySection config) throws Exception {
        ioWorker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        metrics = new GatewayMetrics(registry, config);
        server = metrics.server(ioWorker, new DefaultByteBufferPool(false, 4096));
        server.start();
    }

    private static ObservabilitySection section(int port, List<Double> buckets) {
        return new ObservabilitySection(true, "127.0.0.1", port, buckets, false);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
