package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.Headers;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamFailure;
import io.undertow.connector.PooledByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

/**
 * Calls a {@link ResponseSink} on the request's I/O executor, and never again once stopped (a
 * cancelled call delivers nothing more). When the executor is the I/O thread the call runs on, sink
 * calls are made inline with no hop; otherwise each one is handed to the executor in order.
 * A sink that throws has the call cancelled: the exception is a gateway bug, not a worker fault.
 */
abstract sealed class SinkDelivery permits SinkDelivery.Inline, SinkDelivery.Handed {

    private static final Logger log = LoggerFactory.getLogger(SinkDelivery.class);

    protected final ResponseSink sink;
    private final Runnable cancelCall;
    private volatile boolean stopped;

    private SinkDelivery(ResponseSink sink, Runnable cancelCall) {
        this.sink = sink;
        this.cancelCall = cancelCall;
    }

    /** Inline when the request's executor is the call's I/O thread (or none was given), handed over otherwise. */
    static SinkDelivery on(Executor ioExecutor, XnioIoThread ioThread, ResponseSink sink, Runnable cancelCall) {
        return ioExecutor == null || ioExecutor == ioThread
                ? new Inline(sink, cancelCall)
                : new Handed(sink, cancelCall, ioExecutor);
    }

    /** No sink call starts after this; callable from any thread. */
    final void stop() {
        stopped = true;
    }

    final boolean stopped() {
        return stopped;
    }

    abstract void head(int status, Headers headers);

    /** Delivers the readable bytes of {@code chunk} and then frees it; takes ownership. */
    abstract void data(PooledByteBuffer chunk);

    abstract void complete();

    abstract void failure(UpstreamFailure failure);

    final void sinkThrew(RuntimeException e) {
        log.warn("response sink threw; cancelling the upstream call", e);
        stop();
        cancelCall();
    }

    final void cancelCall() {
        cancelCall.run();
    }

    /** The executor is the call's I/O thread: sink calls happen right here. */
    static final class Inline extends SinkDelivery {

        private Inline(ResponseSink sink, Runnable cancelCall) {
            super(sink, cancelCall);
        }

        @Override
        void head(int status, Headers headers) {
            if (stopped()) {
                return;
            }
            try {
                sink.onHead(status, headers);
            } catch (RuntimeException e) {
                sinkThrew(e);
            }
        }

        @Override
        void data(PooledByteBuffer chunk) {
            try {
                if (!stopped()) {
                    sink.onData(chunk.getBuffer());
                }
            } catch (RuntimeException e) {
                sinkThrew(e);
            } finally {
                chunk.close();
            }
        }

        @Override
        void complete() {
            if (stopped()) {
                return;
            }
            stop();
            try {
                sink.onComplete();
            } catch (RuntimeException e) {
                log.warn("response sink threw on completion", e);
            }
        }

        @Override
        void failure(UpstreamFailure failure) {
            if (stopped()) {
                return;
            }
            stop();
            try {
                sink.onFailure(failure);
            } catch (RuntimeException e) {
                log.warn("response sink threw on failure", e);
            }
        }
    }

    /** The executor is not the call's I/O thread: each sink call is handed over, in order. */
    static final class Handed extends SinkDelivery {

        private final Executor executor;

        private Handed(ResponseSink sink, Runnable cancelCall, Executor executor) {
            super(sink, cancelCall);
            this.executor = executor;
        }

        @Override
        void head(int status, Headers headers) {
            hand(() -> sink.onHead(status, headers), null);
        }

        @Override
        void data(PooledByteBuffer chunk) {
            hand(() -> sink.onData(chunk.getBuffer()), chunk);
        }

        @Override
        void complete() {
            hand(sink::onComplete, null);
        }

        @Override
        void failure(UpstreamFailure failure) {
            hand(() -> sink.onFailure(failure), null);
        }

        private void hand(Runnable sinkCall, PooledByteBuffer chunk) {
            if (stopped()) {
                if (chunk != null) {
                    chunk.close();
                }
                return;
            }
            try {
                executor.execute(() -> {
                    try {
                        if (!stopped()) {
                            sinkCall.run();
                        }
                    } catch (RuntimeException e) {
                        sinkThrew(e);
                    } finally {
                        if (chunk != null) {
                            chunk.close();
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                if (chunk != null) {
                    chunk.close();
                }
                log.debug("request executor refused a sink call; cancelling the upstream call", e);
                stop();
                cancelCall();
            }
        }
    }
}
