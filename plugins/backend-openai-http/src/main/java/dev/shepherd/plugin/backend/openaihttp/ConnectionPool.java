package dev.shepherd.plugin.backend.openaihttp;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.ssl.XnioSsl;

/**
 * Keep-alive connections to workers, kept per (worker, I/O thread). A connection belongs to the I/O
 * thread it was opened on, and a call only takes connections of its own thread, so reuse needs no
 * locks; the only shared state is each worker's idle count, which caps idle connections per worker.
 * {@link #takeIdle} and {@link #release} must be called on the connection's I/O thread.
 */
final class ConnectionPool implements AutoCloseable {

    /** Told the outcome of {@link #connect}, on the I/O thread the connection was asked for. */
    interface ConnectListener {
        void connected(ClientConnection connection);

        void connectFailed(String message);
    }

    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    /** Small requests and SSE events must leave at once, not wait for Nagle's algorithm. */
    private static final OptionMap CONNECTION_OPTIONS = OptionMap.create(Options.TCP_NODELAY, true);

    private final UndertowClient client = UndertowClient.getInstance();
    private final XnioWorker worker;
    private final ByteBufferPool bufferPool;
    private final int maxIdlePerWorker;
    private final long idleTimeoutNanos;
    private final long connectTimeoutMillis;
    private final ConcurrentHashMap<XnioIoThread, IdleConnections> idleByThread = new ConcurrentHashMap<>();
    private volatile XnioSsl ssl;
    private volatile boolean closed;

    ConnectionPool(XnioWorker worker, ByteBufferPool bufferPool, int maxIdlePerWorker, Duration idleTimeout,
                   Duration connectTimeout) {
        this.worker = worker;
        this.bufferPool = bufferPool;
        this.maxIdlePerWorker = maxIdlePerWorker;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.connectTimeoutMillis = connectTimeout.toMillis();
    }

    /** An idle open connection to {@code upstream} owned by {@code ioThread}, or null. */
    ClientConnection takeIdle(Upstream upstream, XnioIoThread ioThread) {
        if (!upstream.mayHaveIdleConnections()) {
            return null;
        }
        IdleConnections idle = idleByThread.get(ioThread);
        return idle == null ? null : idle.take(upstream);
    }

    /** Opens a new connection on {@code ioThread}; must be called on that thread. */
    void connect(Upstream upstream, XnioIoThread ioThread, ConnectListener listener) {
        if (closed) {
            listener.connectFailed("backend is closed");
            return;
        }
        new PendingConnect(this, upstream, ioThread, listener, connectTimeoutMillis).start();
    }

    void openConnection(ClientCallback<ClientConnection> callback, Upstream upstream, XnioIoThread ioThread) {
        if (upstream.secure()) {
            client.connect(callback, upstream.uri(), ioThread, ssl(), bufferPool, CONNECTION_OPTIONS);
        } else {
            client.connect(callback, upstream.uri(), ioThread, bufferPool, CONNECTION_OPTIONS);
        }
    }

    /**
     * Hands back a connection whose exchange is complete: kept for reuse when it is still open and the
     * worker's idle budget allows, closed otherwise. Must be called on the connection's I/O thread.
     */
    void release(Upstream upstream, ClientConnection connection) {
        if (closed || !connection.isOpen() || !upstream.tryReserveIdleSlot(maxIdlePerWorker)) {
            IoUtils.safeClose(connection);
            return;
        }
        XnioIoThread ioThread = connection.getIoThread();
        idleByThread.computeIfAbsent(ioThread, thread -> new IdleConnections(thread, idleTimeoutNanos))
                .put(upstream, connection);
    }

    /**
     * Closes a connection in the middle of an exchange, at once. Undertow's {@code close()} is a clean
     * close that, mid-response, drains what the worker still sends for up to ten seconds: a cancelled
     * stream would keep the engine generating for nothing. The upgrade hand-over gives the raw
     * connection, whose close drops the socket now.
     */
    void discard(ClientConnection connection) {
        try {
            IoUtils.safeClose(connection.performUpgrade());
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(connection);
        }
    }

    private XnioSsl ssl() {
        XnioSsl current = ssl;
        if (current == null) {
            synchronized (this) {
                current = ssl;
                if (current == null) {
                    try {
                        current = new UndertowXnioSsl(worker.getXnio(), OptionMap.EMPTY, SSLContext.getDefault());
                    } catch (NoSuchAlgorithmException e) {
                        throw new IllegalStateException("no default TLS context for https workers", e);
                    }
                    ssl = current;
                }
            }
        }
        return current;
    }

    /**
     * Closes every idle connection, each on its own I/O thread (the only thread that may touch it),
     * and waits briefly for that. Connections of calls still running are closed when they end.
     */
    @Override
    public void close() {
        closed = true;
        List<CountDownLatch> pending = new ArrayList<>();
        for (IdleConnections idle : idleByThread.values()) {
            if (Thread.currentThread() == idle.ioThread()) {
                idle.closeAll();
                continue;
            }
            CountDownLatch done = new CountDownLatch(1);
            try {
                idle.ioThread().execute(() -> {
                    idle.closeAll();
                    done.countDown();
                });
                pending.add(done);
            } catch (RejectedExecutionException e) {
                log.debug("I/O thread {} already stopped; its connections closed with it", idle.ioThread());
            }
        }
        try {
            for (CountDownLatch done : pending) {
                if (!done.await(5, TimeUnit.SECONDS)) {
                    log.warn("idle upstream connections not closed within 5 s");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
