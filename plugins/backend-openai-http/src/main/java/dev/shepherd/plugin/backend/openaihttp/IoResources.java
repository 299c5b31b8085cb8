package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.PluginContext;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * The XNIO worker and buffer pool the client runs on. In the gateway both are the HTTP server's own,
 * lent through {@link PluginContext#sharedResource}, so upstream connections live on the same I/O
 * threads as the client exchanges they serve. Without a lent worker (unit tests, tools) the backend
 * creates a small one and owns it.
 */
final class IoResources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IoResources.class);

    /** Undertow's server default on a machine with memory to spare; large enough for most SSE chunks. */
    private static final int OWN_BUFFER_SIZE = 16 * 1024;

    private final XnioWorker worker;
    private final ByteBufferPool bufferPool;
    private final boolean ownsWorker;
    private final boolean ownsBufferPool;

    private IoResources(XnioWorker worker, boolean ownsWorker, ByteBufferPool bufferPool, boolean ownsBufferPool) {
        this.worker = worker;
        this.ownsWorker = ownsWorker;
        this.bufferPool = bufferPool;
        this.ownsBufferPool = ownsBufferPool;
    }

    static IoResources from(PluginContext context, int ioThreads) {
        Optional<XnioWorker> lentWorker = context.sharedResource(XnioWorker.class);
        Optional<ByteBufferPool> lentPool = context.sharedResource(ByteBufferPool.class);
        XnioWorker worker = lentWorker.orElseGet(() -> createWorker(ioThreads));
        ByteBufferPool pool = lentPool.orElseGet(() -> new DefaultByteBufferPool(true, OWN_BUFFER_SIZE));
        if (lentWorker.isEmpty()) {
            log.debug("no XNIO worker lent by the kernel; created one with {} I/O threads", ioThreads);
        }
        return new IoResources(worker, lentWorker.isEmpty(), pool, lentPool.isEmpty());
    }

    private static XnioWorker createWorker(int ioThreads) {
        OptionMap options = OptionMap.builder()
                .set(Options.WORKER_NAME, "openai-http")
                .set(Options.WORKER_IO_THREADS, ioThreads)
                // The client never runs blocking tasks; XNIO insists on a task pool, so keep it tiny.
                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 1)
                .set(Options.THREAD_DAEMON, true)
                .getMap();
        try {
            return Xnio.getInstance(IoResources.class.getClassLoader()).createWorker(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the backend's XNIO worker", e);
        }
    }

    XnioWorker worker() {
        return worker;
    }

    ByteBufferPool bufferPool() {
        return bufferPool;
    }

    /**
     * The I/O thread a call runs on. The request's own executor when it is an I/O thread (the normal
     * case: the server exchange's thread), so connection, exchange and sink share one thread and need
     * no locks. Otherwise a thread chosen by the executor's identity: the same executor always lands
     * on the same thread and so finds its keep-alive connections there.
     */
    XnioIoThread ioThreadFor(Executor ioExecutor) {
        if (ioExecutor instanceof XnioIoThread ioThread) {
            return ioThread;
        }
        return worker.getIoThread(System.identityHashCode(ioExecutor));
    }

    /**
     * The I/O thread for calls the backend makes on its own behalf (probes, model discovery): always
     * the same one for a worker, so periodic probes reuse one keep-alive connection.
     */
    XnioIoThread ioThreadForOwnCalls(String workerUrl) {
        return worker.getIoThread(workerUrl.hashCode());
    }

    @Override
    public void close() {
        if (ownsWorker) {
            worker.shutdown();
            try {
                if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("the backend's XNIO worker did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownsBufferPool) {
            bufferPool.close();
        }
    }
}
