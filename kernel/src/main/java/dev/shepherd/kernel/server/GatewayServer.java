package dev.shepherd.kernel.server;

import dev.shepherd.kernel.admission.AdmissionController;
import dev.shepherd.kernel.control.ControlPlane;
import dev.shepherd.kernel.observe.RequestObserver;
import dev.shepherd.kernel.manifest.ServerSection;
import dev.shepherd.kernel.routing.Router;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.middleware.Middleware;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.XnioWorker;

/** The HTTP listener: Undertow on the kernel's I/O worker, with graceful draining in front. */
public final class GatewayServer {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private volatile boolean draining;

    public GatewayServer(ServerSection config, XnioWorker ioWorker, ByteBufferPool buffers, List<Api> apis,
                         ControlPlane controlPlane, List<Middleware> middleware, Router router, AdmissionController admission,
                       RequestObserver observer) {
        this(config, ioWorker, buffers, apis, controlPlane, middleware, router, admission, observer, null);
    }

    /**
     * @param metrics answers {@code GET /metrics} on this listener too; null to leave the path to the route table
     */
    public GatewayServer(ServerSection config, XnioWorker ioWorker, ByteBufferPool buffers, List<Api> apis,
                         ControlPlane controlPlane, List<Middleware> middleware, Router router, AdmissionController admission,
                         RequestObserver observer, HttpHandler metrics) {
        RouteTable routes = new RouteTable();
        controlPlane.endpoints().forEach(e -> routes.add(null, e));
        for (Api api : apis) {
            for (Endpoint endpoint : api.endpoints()) {
                routes.add(api, endpoint);
            }
        }
        GatewayHandler handler = new GatewayHandler(routes, new RequestIds(config.requestIdHeaders()),
                new AdminGuard(config), config.maxPayloadSize(), Duration.ofSeconds(config.requestTimeoutSecs()),
                middleware, router, admission, observer);
        this.graceful = new GracefulShutdownHandler(metrics == null ? handler : exchange -> {
            if ("/metrics".equals(exchange.getRequestPath())) {
                metrics.handleRequest(exchange);
            } else {
                handler.handleRequest(exchange);
            }
        });
        this.undertow = Undertow.builder()
                .setWorker(ioWorker)
                .setByteBufferPool(buffers)
                .addHttpListener(config.port(), config.host())
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                // No MAX_ENTITY_SIZE: the handler enforces max_payload_size so an oversized body gets a
                // 413; Undertow's limit closes the connection on a chunked body without answering.
                .setSocketOption(Options.TCP_NODELAY, true)
                .setSocketOption(Options.BACKLOG, 4096)
                .setHandler(graceful)
                .build();
    }

    public void start() {
        undertow.start();
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    public boolean isDraining() {
        return draining;
    }

    /** Refuses new requests (503) and waits up to {@code grace} for in-flight ones to finish. */
    public void drain(Duration grace) {
        draining = true;
        graceful.shutdown();
        try {
            if (!graceful.awaitShutdown(grace.toMillis())) {
                LOG.warn("in-flight requests still running after the {}s grace period", grace.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        undertow.stop();
    }
}
