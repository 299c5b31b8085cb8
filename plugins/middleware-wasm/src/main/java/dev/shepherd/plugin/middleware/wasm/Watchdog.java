package dev.shepherd.plugin.middleware.wasm;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A per-call deadline for guest code. Chicory checks the running thread's interrupt flag on loop
 * back-edges and calls (compiled and interpreted alike), so interrupting the (virtual) thread that runs
 * the guest stops even a tight infinite loop with a {@code ChicoryInterruptedException}.
 */
final class Watchdog {

    private final Thread thread;
    private final ScheduledFuture<?> timer;
    private boolean done;
    private boolean fired;

    private Watchdog(ScheduledExecutorService scheduler, Duration timeout) {
        this.thread = Thread.currentThread();
        this.timer = scheduler.schedule(this::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Arms a deadline for the current thread's next guest call. */
    static Watchdog arm(ScheduledExecutorService scheduler, Duration timeout) {
        return new Watchdog(scheduler, timeout);
    }

    private synchronized void fire() {
        if (!done) {
            fired = true;
            thread.interrupt();
        }
    }

    /**
     * Ends the deadline and clears any interrupt it left on this thread, so it cannot leak into later work.
     *
     * @return true when the deadline passed during the call
     */
    boolean disarm() {
        boolean passed;
        synchronized (this) {
            done = true;
            passed = fired;
        }
        timer.cancel(false);
        if (passed) {
            Thread.interrupted();
        }
        return passed;
    }
}
