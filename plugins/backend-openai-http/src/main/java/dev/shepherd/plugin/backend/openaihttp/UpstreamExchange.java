package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.backend.UpstreamRequest;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * One call in flight: takes or opens a connection, sends the request, streams the answer to the sink
 * as it arrives, and returns the connection to the pool. All its state lives on one I/O thread; the
 * {@link BackendCall} methods hop there when called from elsewhere, so nothing here is locked.
 *
 * <p>Failures end the call with exactly one {@link UpstreamFailure}: CONNECT when no connection
 * could be made, RESET when it broke after the request went out, PROTOCOL when the answer is not
 * HTTP, TIMEOUT when the call's budget ran out. A pooled connection that breaks before any response
 * head arrives is retried once, transparently, on a fresh connection: that is the keep-alive race,
 * where the worker's idle timeout closes the connection just as the request leaves on it. A fresh
 * connection that breaks the same way is a RESET, never retried here (the kernel decides).
 */
final class UpstreamExchange implements BackendCall, ConnectionPool.ConnectListener {

    private static final Logger log = LoggerFactory.getLogger(UpstreamExchange.class);

    private final ConnectionPool pool;
    private final ByteBufferPool bufferPool;
    private final Upstream upstream;
    private final UpstreamRequest request;
    private final Optional<String> apiKey;
    private final XnioIoThread ioThread;
    private final SinkDelivery delivery;

    // Confined to ioThread from start() on.
    private ClientRequest clientRequest;
    private Attempt attempt;
    private boolean retriedStaleConnection;
    private boolean headReceived;
    private StreamSourceChannel responseChannel;
    private ChannelListener<StreamSourceChannel> readableListener;
    private long expectedBodyLength = -1;
    private long bodyBytesReceived;
    private boolean paused;
    private boolean reading;
    private boolean finished;
    private XnioExecutor.Key deadline;

    UpstreamExchange(ConnectionPool pool, ByteBufferPool bufferPool, Upstream upstream, UpstreamRequest request,
                     Optional<String> apiKey, XnioIoThread ioThread, ResponseSink sink) {
        this.pool = pool;
        this.bufferPool = bufferPool;
        this.upstream = upstream;
        this.request = request;
        this.apiKey = apiKey;
        this.ioThread = ioThread;
        this.delivery = SinkDelivery.on(request.ioExecutor(), ioThread, sink, this::cancel);
    }

    /** Starts the call on its I/O thread: at once when already there, else by handing it over. */
    void begin() {
        if (Thread.currentThread() == ioThread) {
            start();
            return;
        }
        try {
            ioThread.execute(this::start);
        } catch (RejectedExecutionException e) {
            delivery.failure(new UpstreamFailure(UpstreamFailure.Kind.CONNECT, "backend I/O thread has stopped"));
        }
    }

    private void start() {
        if (delivery.stopped()) {
            finished = true;
            return;
        }
        armDeadline();
        ClientConnection idle = pool.takeIdle(upstream, ioThread);
        if (idle != null) {
            send(idle, true);
        } else {
            pool.connect(upstream, ioThread, this);
        }
    }

    @Override
    public void connected(ClientConnection connection) {
        if (finished) {
            // Timed out or cancelled while connecting: the fresh connection is still good for others.
            pool.release(upstream, connection);
            return;
        }
        send(connection, false);
    }

    @Override
    public void connectFailed(String message) {
        if (!finished) {
            fail(UpstreamFailure.Kind.CONNECT, message);
        }
    }

    private void send(ClientConnection connection, boolean reused) {
        if (clientRequest == null) {
            clientRequest = HttpMessageMapping.toClientRequest(upstream, request, apiKey);
        }
        attempt = new Attempt(connection, reused);
        connection.sendRequest(clientRequest, attempt);
    }

    /**
     * The use of one connection for this call. Undertow calls it back twice through the same
     * interface: first when the request may be written, then when the response head has arrived.
     * Callbacks of an attempt that was given up (its connection closed for a retry) are ignored.
     */
    private final class Attempt implements ClientCallback<ClientExchange> {

        final ClientConnection connection;
        final boolean reused;
        private ClientExchange exchange;
        private StreamSinkChannel requestChannel;
        private ByteBuffer body;
        private boolean bodyEnded;
        private boolean awaitingWritable;
        boolean requestSent;

        Attempt(ClientConnection connection, boolean reused) {
            this.connection = connection;
            this.reused = reused;
        }

        @Override
        public void completed(ClientExchange result) {
            if (attempt != this || finished) {
                return;
            }
            if (exchange == null) {
                exchange = result;
                result.setResponseListener(this);
                startBody();
            } else {
                responseArrived(result);
            }
        }

        @Override
        public void failed(IOException e) {
            if (attempt != this || finished) {
                return;
            }
            connectionBroke(e);
        }

        private void startBody() {
            byte[] bytes = request.body();
            if (bytes == null || bytes.length == 0) {
                // Undertow ends a request without content by itself.
                requestSent = true;
                return;
            }
            body = ByteBuffer.wrap(bytes);
            requestChannel = exchange.getRequestChannel();
            writeBody();
        }

        /** Writes what the socket takes now and waits for writability for the rest. */
        void writeBody() {
            if (attempt != this || finished) {
                return;
            }
            try {
                while (body.hasRemaining()) {
                    if (requestChannel.write(body) == 0) {
                        awaitWritable();
                        return;
                    }
                }
                if (!bodyEnded) {
                    requestChannel.shutdownWrites();
                    bodyEnded = true;
                }
                if (!requestChannel.flush()) {
                    awaitWritable();
                    return;
                }
                if (awaitingWritable) {
                    requestChannel.suspendWrites();
                }
                requestSent = true;
            } catch (IOException e) {
                connectionBroke(e);
            }
        }

        private void awaitWritable() {
            if (!awaitingWritable) {
                awaitingWritable = true;
                requestChannel.getWriteSetter().set(channel -> writeBody());
            }
            requestChannel.resumeWrites();
        }
    }

    private void responseArrived(ClientExchange exchange) {
        headReceived = true;
        ClientResponse response = exchange.getResponse();
        int status = response.getResponseCode();
        HeaderMap headers = response.getResponseHeaders();
        expectedBodyLength = expectedBodyLength(status, headers);
        delivery.head(status, HttpMessageMapping.toHeaders(headers));
        if (finished) {
            return;
        }
        responseChannel = exchange.getResponseChannel();
        readBody();
    }

    /** The body length to hold the worker to, or -1 when only the framing (chunks, EOF) knows. */
    private long expectedBodyLength(int status, HeaderMap headers) {
        if (request.method().equals("HEAD") || status < 200 || status == 204 || status == 304
                || headers.contains(Headers.TRANSFER_ENCODING)) {
            return -1;
        }
        String length = headers.getFirst(Headers.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads and delivers body chunks until the socket has nothing more for now, the sink paused or
     * cancelled, or the body ended. Each chunk goes to the sink in a pooled buffer, as read, unchanged.
     */
    private void readBody() {
        if (reading) {
            // A sink that paused and resumed inside onData: the loop below simply goes on.
            return;
        }
        reading = true;
        StreamSourceChannel channel = responseChannel;
        try {
            while (!finished && !paused) {
                PooledByteBuffer chunk = bufferPool.allocate();
                int read;
                try {
                    read = channel.read(chunk.getBuffer());
                } catch (IOException | RuntimeException e) {
                    chunk.close();
                    throw e;
                }
                if (read > 0) {
                    bodyBytesReceived += read;
                    chunk.getBuffer().flip();
                    delivery.data(chunk);
                    continue;
                }
                chunk.close();
                if (read == 0) {
                    if (readableListener == null) {
                        readableListener = ready -> readBody();
                        channel.getReadSetter().set(readableListener);
                    }
                    channel.resumeReads();
                    return;
                }
                bodyEnded();
                return;
            }
        } catch (IOException e) {
            fail(UpstreamFailure.Kind.RESET,
                    "connection to worker " + upstream + " broke while reading the response: " + describe(e));
        } finally {
            reading = false;
        }
    }

    private void bodyEnded() {
        if (expectedBodyLength > 0 && bodyBytesReceived < expectedBodyLength) {
            fail(UpstreamFailure.Kind.RESET, "worker " + upstream + " closed the connection after "
                    + bodyBytesReceived + " of " + expectedBodyLength + " body bytes");
            return;
        }
        finished = true;
        cancelDeadline();
        Attempt done = attempt;
        attempt = null;
        if (done != null && done.requestSent) {
            pool.release(upstream, done.connection);
        } else if (done != null) {
            // The worker answered before taking the whole request; the connection is in no state to reuse.
            pool.discard(done.connection);
        }
        delivery.complete();
    }

    private void connectionBroke(IOException e) {
        Attempt broken = attempt;
        attempt = null;
        pool.discard(broken.connection);
        if (isProtocolError(e)) {
            fail(UpstreamFailure.Kind.PROTOCOL,
                    "worker " + upstream + " answered with something that is not HTTP: " + describe(e));
            return;
        }
        if (broken.reused && !headReceived && !retriedStaleConnection) {
            retriedStaleConnection = true;
            log.debug("keep-alive connection to {} closed by the worker before it answered; retrying once on a"
                    + " fresh connection", upstream);
            pool.connect(upstream, ioThread, this);
            return;
        }
        fail(UpstreamFailure.Kind.RESET, "connection to worker " + upstream + " broke "
                + (headReceived ? "while reading the response" : "before the response") + ": " + describe(e));
    }

    /**
     * Whether the worker's answer, not the connection, was at fault. Undertow's client reports an
     * answer it cannot parse in one of two ways: an IOException caused by the parser's exception, or,
     * when it closes the connection first (as 2.4 does), a bare {@link ClosedChannelException} from its
     * close handler. A worker that closes or resets the connection is reported differently: with the
     * read's own IOException or "connection closed" message, never as a bare ClosedChannelException.
     */
    private boolean isProtocolError(IOException e) {
        if (e.getCause() != null && !(e.getCause() instanceof IOException)) {
            return true;
        }
        return !headReceived && e.getClass() == ClosedChannelException.class;
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null && e.getMessage() != null
                && e.getMessage().equals(e.getCause().toString()) ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private void fail(UpstreamFailure.Kind kind, String message) {
        finished = true;
        cancelDeadline();
        closeConnection();
        delivery.failure(new UpstreamFailure(kind, message));
    }

    private void closeConnection() {
        Attempt current = attempt;
        attempt = null;
        if (current != null) {
            pool.discard(current.connection);
        }
    }

    private void armDeadline() {
        Duration timeout = request.timeout();
        if (timeout != null && timeout.isPositive()) {
            deadline = ioThread.executeAfter(this::deadlinePassed, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.remove();
            deadline = null;
        }
    }

    private void deadlinePassed() {
        deadline = null;
        if (!finished) {
            fail(UpstreamFailure.Kind.TIMEOUT,
                    "worker " + upstream + " did not complete its answer within " + request.timeout());
        }
    }

    @Override
    public void cancel() {
        delivery.stop();
        onIoThread(this::abort);
    }

    @Override
    public void pause() {
        onIoThread(this::pauseReading);
    }

    @Override
    public void resume() {
        onIoThread(this::resumeReading);
    }

    private void abort() {
        if (finished) {
            return;
        }
        finished = true;
        cancelDeadline();
        closeConnection();
    }

    private void pauseReading() {
        if (finished || paused) {
            return;
        }
        paused = true;
        if (responseChannel != null) {
            responseChannel.suspendReads();
        }
    }

    private void resumeReading() {
        if (finished || !paused) {
            return;
        }
        paused = false;
        if (responseChannel != null) {
            readBody();
        }
    }

    private void onIoThread(Runnable action) {
        if (Thread.currentThread() == ioThread) {
            action.run();
            return;
        }
        try {
            ioThread.execute(action);
        } catch (RejectedExecutionException e) {
            log.debug("backend I/O thread has stopped; {} dropped", action);
        }
    }
}
