package dev.shepherd.kernel.observe.metrics;

import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioWorker;

/**
 * The Prometheus listener ({@code --prometheus-host}:{@code --prometheus-port}, {@code GET /metrics}),
 * an Undertow listener of its own on the gateway's I/O threads. A port that cannot be bound is logged
 * as an error and the gateway serves on without it: traffic matters more than its figures.
 */
public final class MetricsServer {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final String host;
    private final int requestedPort;
    private final Undertow undertow;
    private volatile boolean started;

    MetricsServer(String host, int port, XnioWorker ioWorker, ByteBufferPool buffers, HttpHandler handler) {
        this.host = host;
        this.requestedPort = port;
        this.undertow = Undertow.builder()
                .setWorker(ioWorker)
                .setByteBufferPool(buffers)
                .addHttpListener(port, host)
                .setHandler(handler)
                .build();
    }

    /** Starts listening; false (logged) when the address cannot be bound. */
    public boolean start() {
        try {
            undertow.start();
            started = true;
            LOG.info("Prometheus metrics on http://{}:{}/metrics", host, port());
            return true;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            LOG.error("cannot serve Prometheus metrics on {}:{} ({}); the gateway runs without its metrics listener",
                    host, requestedPort, root.toString());
            try {
                undertow.stop();
            } catch (RuntimeException ignored) {
                // nothing was started
            }
            return false;
        }
    }

    /** The bound port, or -1 when not listening. */
    public int port() {
        if (!started) {
            return -1;
        }
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    public void stop() {
        if (started) {
            started = false;
            undertow.stop();
        }
    }
}
