package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.Headers;
import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.backend.UpstreamRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.XnioIoThread;

/**
 * The non-blocking HTTP/1.1 client every call of the backend goes through: gateway requests on the
 * hot path and the backend's own GETs (probes, model discovery) alike.
 */
final class UpstreamClient implements AutoCloseable {

    private static final byte[] NO_BODY = new byte[0];

    private final IoResources io;
    private final ConnectionPool pool;
    private final ConcurrentHashMap<String, Upstream> upstreams = new ConcurrentHashMap<>();

    UpstreamClient(IoResources io, OpenAiHttpBackendConfig config) {
        this.io = io;
        this.pool = new ConnectionPool(io.worker(), io.bufferPool(), config.maxIdleConnectionsPerWorker(),
                config.idleTimeout(), config.connectTimeout());
    }

    /** Starts {@code request} to the worker at {@code workerUrl}; returns at once. */
    BackendCall send(String workerUrl, Optional<String> apiKey, UpstreamRequest request, ResponseSink sink) {
        Upstream upstream = upstreams.get(workerUrl);
        if (upstream == null) {
            try {
                upstream = upstreams.computeIfAbsent(workerUrl, Upstream::parse);
            } catch (IllegalArgumentException e) {
                return refuse(request, sink, e.getMessage());
            }
        }
        XnioIoThread ioThread = io.ioThreadFor(request.ioExecutor());
        UpstreamExchange exchange = new UpstreamExchange(pool, io.bufferPool(), upstream, request, apiKey,
                ioThread, sink);
        exchange.begin();
        return exchange;
    }

    /** A GET made on the backend's own behalf, its answer collected in memory. */
    CompletableFuture<CollectedResponse> get(String workerUrl, Optional<String> apiKey, String path,
                                             Duration timeout, CollectingSink sink) {
        XnioIoThread ioThread = io.ioThreadForOwnCalls(workerUrl);
        UpstreamRequest request = new UpstreamRequest("GET", path, Headers.EMPTY, NO_BODY, false, timeout, ioThread);
        sink.attach(send(workerUrl, apiKey, request, sink));
        return sink.result();
    }

    private static BackendCall refuse(UpstreamRequest request, ResponseSink sink, String message) {
        UpstreamFailure failure = new UpstreamFailure(UpstreamFailure.Kind.CONNECT, message);
        if (request.ioExecutor() == null) {
            sink.onFailure(failure);
        } else {
            request.ioExecutor().execute(() -> sink.onFailure(failure));
        }
        return NoCall.INSTANCE;
    }

    /** The handle of a call that never started. */
    private enum NoCall implements BackendCall {
        INSTANCE;

        @Override
        public void cancel() {
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
