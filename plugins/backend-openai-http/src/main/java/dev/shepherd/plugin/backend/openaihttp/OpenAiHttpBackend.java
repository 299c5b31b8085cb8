package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.LoadReport;
import dev.shepherd.spi.backend.ProbeResult;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamRequest;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Talks HTTP/1.1 to OpenAI-compatible workers with Undertow's non-blocking client over the
 * gateway's own XNIO I/O threads: keep-alive connections per worker and I/O thread, answers
 * streamed to the sink chunk by chunk with back-pressure, no thread of its own on the request path.
 * Thread-safe.
 */
public final class OpenAiHttpBackend implements Backend {

    private final IoResources io;
    private final UpstreamClient client;
    private final ModelDiscovery modelDiscovery;
    private final HealthProbe healthProbe;
    private final EngineLoadReader loadReader;
    private final DataParallelSize dpSize;
    private final DataParallelRank dpRank;
    private final AtomicBoolean closed = new AtomicBoolean();

    OpenAiHttpBackend(OpenAiHttpBackendConfig config, PluginContext context) {
        this.io = IoResources.from(context, config.ioThreads());
        this.client = new UpstreamClient(io, config);
        this.modelDiscovery = new ModelDiscovery(client, context.objectMapper());
        this.healthProbe = new HealthProbe(client);
        this.loadReader = new EngineLoadReader(client);
        this.dpSize = new DataParallelSize(client, context.objectMapper());
        this.dpRank = new DataParallelRank(context.objectMapper());
    }

    @Override
    public BackendCall call(Worker worker, UpstreamRequest request, ResponseSink sink) {
        // Every rank of a data-parallel engine shares its URL; the rank travels in the body.
        return client.send(worker.url(), worker.apiKey(), dpRank.apply(worker, request), sink);
    }

    @Override
    public CompletionStage<List<String>> discoverModels(WorkerSpec spec, Duration timeout) {
        return modelDiscovery.discover(spec, timeout);
    }

    @Override
    public CompletionStage<Integer> dataParallelSize(WorkerSpec spec, Duration timeout) {
        return dpSize.ask(spec, timeout);
    }

    @Override
    public CompletionStage<ProbeResult> probe(Worker worker, String path, Duration timeout) {
        return healthProbe.probe(worker, path, timeout);
    }

    @Override
    public CompletionStage<Optional<LoadReport>> reportLoad(Worker worker, Duration timeout) {
        return loadReader.read(worker, timeout);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
            io.close();
        }
    }
}
