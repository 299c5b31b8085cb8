package dev.shepherd.plugin.backend.openaihttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.backend.ProbeResult;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.testkit.fakes.FakeWorker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Model discovery and health probes, against stand-in engines of the kinds the gateway meets. */
class DiscoveryAndProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private UpstreamServer openAiEngine;
    private UpstreamServer sglangEngine;
    private UpstreamServer sickEngine;
    private OpenAiHttpBackend backend;

    @BeforeEach
    void start() {
        openAiEngine = UpstreamServer.start(Map.of(
                "/v1/models", UpstreamHandlers.json("""
                        {"object":"list","data":[{"id":"llama-3-8b","object":"model"},{"id":"llama-3-70b"}]}"""),
                "/health", UpstreamHandlers.ok()));
        sglangEngine = UpstreamServer.start(Map.of(
                "/v1/models", UpstreamHandlers.json("{\"object\":\"list\",\"data\":[]}"),
                "/get_model_info", UpstreamHandlers.json(
                        "{\"model_path\":\"Qwen/Qwen2.5-7B-Instruct\",\"is_generation\":true}"),
                "/get_server_info", UpstreamHandlers.json("{\"dp_size\":4,\"tp_size\":2}")));
        sickEngine = UpstreamServer.start(Map.of(
                "/v1/models", UpstreamHandlers.status(500),
                "/get_model_info", UpstreamHandlers.status(404),
                "/health", UpstreamHandlers.status(503)));
        backend = (OpenAiHttpBackend) new OpenAiHttpBackendFactory()
                .create(OpenAiHttpBackendConfig.defaults(), TestPluginContext.lendingNothing());
    }

    @AfterEach
    void stop() {
        backend.close();
        openAiEngine.close();
        sglangEngine.close();
        sickEngine.close();
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String closedPortUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void discoversModelsFromTheOpenAiModelList() throws Exception {
        List<String> models = await(backend.discoverModels(WorkerSpec.of(openAiEngine.url()), TIMEOUT));

        assertThat(models).containsExactly("llama-3-8b", "llama-3-70b");
    }

    @Test
    void fallsBackToSglangModelInfoWhenTheListIsEmpty() throws Exception {
        List<String> models = await(backend.discoverModels(WorkerSpec.of(sglangEngine.url()), TIMEOUT));

        assertThat(models).containsExactly("Qwen/Qwen2.5-7B-Instruct");
        assertThat(sglangEngine.requests()).isEqualTo(2);
    }

    @Test
    void theDataParallelSizeIsSglangsDpSizeAndOneForEnginesThatDoNotTell() throws Exception {
        assertThat(await(backend.dataParallelSize(WorkerSpec.of(sglangEngine.url()), TIMEOUT))).isEqualTo(4);
        assertThat(await(backend.dataParallelSize(WorkerSpec.of(openAiEngine.url()), TIMEOUT)))
                .as("no /get_server_info").isEqualTo(1);
        assertThat(await(backend.dataParallelSize(WorkerSpec.of(sickEngine.url()), TIMEOUT))).isEqualTo(1);
    }

    @Test
    void theDataParallelSizeOfAnUnreachableEngineIsAFailure() throws IOException {
        String url = closedPortUrl();

        assertThatThrownBy(() -> await(backend.dataParallelSize(WorkerSpec.of(url), TIMEOUT)))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void failsDiscoveryNamingWhatEachEndpointAnswered() {
        assertThatThrownBy(() -> await(backend.discoverModels(WorkerSpec.of(sickEngine.url()), TIMEOUT)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(sickEngine.url())
                .hasMessageContaining("/v1/models answered status 500")
                .hasMessageContaining("/get_model_info answered status 404");
    }

    @Test
    void failsDiscoveryClearlyWhenTheWorkerCannotBeReached() throws IOException {
        String url = closedPortUrl();

        assertThatThrownBy(() -> await(backend.discoverModels(WorkerSpec.of(url), TIMEOUT)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(url)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("connect refused");
    }

    @Test
    void probeIsHealthyOnA2xxAnswer() throws Exception {
        ProbeResult result = await(backend.probe(FakeWorker.at(openAiEngine.url()), "/health", TIMEOUT));

        assertThat(result).isEqualTo(new ProbeResult(true, "200"));
    }

    @Test
    void probeIsUnhealthyWithTheStatusOnAnErrorAnswer() throws Exception {
        ProbeResult result = await(backend.probe(FakeWorker.at(sickEngine.url()), "/health", TIMEOUT));

        assertThat(result).isEqualTo(new ProbeResult(false, "503"));
    }

    @Test
    void probeIsUnhealthyWithoutFailingWhenTheWorkerRefusesConnections() throws Exception {
        ProbeResult result = await(backend.probe(FakeWorker.at(closedPortUrl()), "/health", TIMEOUT));

        assertThat(result.healthy()).isFalse();
        assertThat(result.detail()).startsWith("connect refused");
    }

    @Test
    void probesReuseTheKeepAliveConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(await(backend.probe(FakeWorker.at(openAiEngine.url()), "health", TIMEOUT)).healthy()).isTrue();
        }

        assertThat(openAiEngine.connections()).isEqualTo(1);
    }
}
