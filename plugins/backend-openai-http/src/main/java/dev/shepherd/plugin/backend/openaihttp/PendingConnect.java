package dev.shepherd.plugin.backend.openaihttp;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * One attempt to open a connection to a worker on a given I/O thread, bounded by the connect timeout
 * (Undertow's client has none of its own). Exactly one of {@link ConnectionPool.ConnectListener}'s
 * methods is called. A connection that arrives after the timeout is not wasted: it goes to the pool.
 */
final class PendingConnect implements ClientCallback<ClientConnection> {

    private final ConnectionPool pool;
    private final Upstream upstream;
    private final XnioIoThread ioThread;
    private final ConnectionPool.ConnectListener listener;
    private final long timeoutMillis;
    private XnioExecutor.Key timer;
    private boolean done;

    PendingConnect(ConnectionPool pool, Upstream upstream, XnioIoThread ioThread,
                   ConnectionPool.ConnectListener listener, long timeoutMillis) {
        this.pool = pool;
        this.upstream = upstream;
        this.ioThread = ioThread;
        this.listener = listener;
        this.timeoutMillis = timeoutMillis;
    }

    /** Must run on {@code ioThread}; the callbacks come back on it too. */
    void start() {
        timer = ioThread.executeAfter(this::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            pool.openConnection(this, upstream, ioThread);
        } catch (RuntimeException e) {
            // XNIO throws, rather than reports, an address it cannot resolve.
            fail(describe(e));
        }
    }

    @Override
    public void completed(ClientConnection connection) {
        if (done) {
            pool.release(upstream, connection);
            return;
        }
        done = true;
        timer.remove();
        listener.connected(connection);
    }

    @Override
    public void failed(IOException e) {
        fail(describe(e));
    }

    private void fail(String message) {
        if (done) {
            return;
        }
        done = true;
        if (timer != null) {
            timer.remove();
        }
        listener.connectFailed(message);
    }

    private void timedOut() {
        fail("connect timed out after " + timeoutMillis + " ms to " + upstream);
    }

    /** A message that says which kind of connect failure it was, for logs, {@code /workers} and probes. */
    private String describe(Throwable e) {
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectException) {
            return "connect refused by " + upstream + ": " + cause;
        }
        if (e instanceof UnknownHostException || e instanceof UnresolvedAddressException) {
            return "unknown host " + upstream.uri().getHost() + " for " + upstream;
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + upstream + ": " + cause;
        }
        return "cannot connect to " + upstream + ": " + cause;
    }
}
