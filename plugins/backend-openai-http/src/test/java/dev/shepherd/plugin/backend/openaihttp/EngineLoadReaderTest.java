package dev.shepherd.plugin.backend.openaihttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.backend.LoadReport;
import dev.shepherd.testkit.fakes.FakeWorker;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Engines' own load, read from their Prometheus metrics. */
class EngineLoadReaderTest {

    private static final String VLLM = """
            # HELP vllm:num_requests_running Number of requests in the running batch.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{model_name="m"} 3.0
            vllm:num_requests_waiting{model_name="m"} 7.0
            vllm:gpu_cache_usage_perc{model_name="m"} 0.9
            vllm:kv_cache_usage_perc{model_name="m"} 0.25
            vllm:prompt_tokens_total{model_name="m"} 12345.0
            sglang:token_usage 0.99
            """;

    private static final String SGLANG_TWO_RANKS = """
            sglang:num_running_reqs{dp_rank="0"} 2
            sglang:num_running_reqs{dp_rank="1"} 4
            sglang:num_queue_reqs{dp_rank="0"} 1
            sglang:num_queue_reqs{dp_rank="1"} 0
            sglang:token_usage{dp_rank="0"} 0.5
            sglang:token_usage{dp_rank="1"} 0.7 1700000000000
            """;

    @Test
    void vllmNamesWinAndTheNewerKvGaugeIsPreferred() {
        assertThat(EngineLoadReader.parse(VLLM)).contains(new LoadReport(0.25, 3, 7));
    }

    @Test
    void sglangRanksAreSummedAndTheirKvUsageAveraged() {
        LoadReport report = EngineLoadReader.parse(SGLANG_TWO_RANKS).orElseThrow();
        assertThat(report.kvCacheUsage()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(report.runningRequests()).isEqualTo(6);
        assertThat(report.waitingRequests()).isEqualTo(1);
    }

    @Test
    void metricsWithoutLoadGaugesOrGarbageGiveNoReport() {
        assertThat(EngineLoadReader.parse("process_cpu_seconds_total 12\n")).isEmpty();
        assertThat(EngineLoadReader.parse("vllm:kv_cache_usage_perc{broken 1\nvllm:num_requests_running NaN\n")).isEmpty();
    }

    @Test
    void theBackendReadsAWorkersMetricsAndReportsNothingForAWorkerWithout() throws Exception {
        try (UpstreamServer engine = UpstreamServer.start(Map.of("/metrics", UpstreamHandlers.json(VLLM)));
             UpstreamServer bare = UpstreamServer.start(Map.of("/health", UpstreamHandlers.ok()));
             OpenAiHttpBackend backend = (OpenAiHttpBackend) new OpenAiHttpBackendFactory()
                     .create(OpenAiHttpBackendConfig.defaults(), TestPluginContext.lendingNothing())) {
            Optional<LoadReport> report = backend.reportLoad(FakeWorker.at(engine.url()), Duration.ofSeconds(5))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Optional<LoadReport> none = backend.reportLoad(FakeWorker.at(bare.url()), Duration.ofSeconds(5))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(report).contains(new LoadReport(0.25, 3, 7));
            assertThat(none).isEmpty();
        }
    }
}
