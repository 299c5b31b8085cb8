package dev.shepherd.plugin.backend.openaihttp;

import io.undertow.client.ClientConnection;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * The idle keep-alive connections of one I/O thread, per worker. Used only on that thread, so it needs
 * no locks: a connection is registered with the thread that opened it and must be used there.
 */
final class IdleConnections {

    private record Idle(ClientConnection connection, long idleSinceNanos) {
    }

    private final XnioIoThread ioThread;
    private final long idleTimeoutNanos;
    private final Map<Upstream, ArrayDeque<Idle>> byUpstream = new HashMap<>();
    private int size;
    private XnioExecutor.Key sweep;

    IdleConnections(XnioIoThread ioThread, long idleTimeoutNanos) {
        this.ioThread = ioThread;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    XnioIoThread ioThread() {
        return ioThread;
    }

    /**
     * The most recently used open connection to {@code upstream}, or null. Most recent first keeps a
     * few connections hot and lets the rest age out when load drops. Connections the worker closed
     * meanwhile (Undertow notices the FIN on an idle connection) or that idled too long are dropped.
     */
    ClientConnection take(Upstream upstream) {
        ArrayDeque<Idle> idle = byUpstream.get(upstream);
        if (idle == null) {
            return null;
        }
        long now = System.nanoTime();
        Idle candidate;
        while ((candidate = idle.pollLast()) != null) {
            forget(upstream);
            if (candidate.connection().isOpen() && now - candidate.idleSinceNanos() < idleTimeoutNanos) {
                return candidate.connection();
            }
            IoUtils.safeClose(candidate.connection());
        }
        return null;
    }

    /** Keeps {@code connection} for reuse; the caller has reserved a slot in the worker's idle budget. */
    void put(Upstream upstream, ClientConnection connection) {
        byUpstream.computeIfAbsent(upstream, u -> new ArrayDeque<>())
                .addLast(new Idle(connection, System.nanoTime()));
        size++;
        if (sweep == null) {
            sweep = ioThread.executeAfter(this::sweep, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Closes connections idle longer than the timeout, so sockets to a worker that stopped getting
     * traffic do not linger. Runs every idle timeout while anything is idle, so a connection is closed
     * at most two timeouts after its last use; {@link #take} never hands out one older than one.
     */
    private void sweep() {
        sweep = null;
        long now = System.nanoTime();
        for (Map.Entry<Upstream, ArrayDeque<Idle>> entry : byUpstream.entrySet()) {
            Iterator<Idle> it = entry.getValue().iterator();
            while (it.hasNext()) {
                Idle idle = it.next();
                if (!idle.connection().isOpen() || now - idle.idleSinceNanos() >= idleTimeoutNanos) {
                    it.remove();
                    forget(entry.getKey());
                    IoUtils.safeClose(idle.connection());
                }
            }
        }
        byUpstream.values().removeIf(ArrayDeque::isEmpty);
        if (size > 0) {
            sweep = ioThread.executeAfter(this::sweep, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    void closeAll() {
        if (sweep != null) {
            sweep.remove();
            sweep = null;
        }
        for (Map.Entry<Upstream, ArrayDeque<Idle>> entry : byUpstream.entrySet()) {
            for (Idle idle : entry.getValue()) {
                forget(entry.getKey());
                IoUtils.safeClose(idle.connection());
            }
        }
        byUpstream.clear();
    }

    private void forget(Upstream upstream) {
        size--;
        upstream.freeIdleSlot();
    }
}
