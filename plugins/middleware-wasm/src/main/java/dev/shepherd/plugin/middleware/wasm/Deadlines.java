package dev.shepherd.plugin.middleware.wasm;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Per-call deadlines for guest code. Chicory checks the running thread's interrupt flag on loop
 * back-edges and calls (compiled and interpreted alike), so interrupting the (virtual) thread that runs
 * a guest stops even a tight infinite loop with a {@code ChicoryInterruptedException}.
 *
 * <p>One sweep every {@link #TICK} looks for overdue calls, instead of a timer per call: arming is a set
 * insertion, with no thread to wake on the request path (a timer per call cost more than the guest).
 * A deadline therefore fires up to one tick late.
 */
final class Deadlines implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(10);

    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweeper;

    Deadlines(ScheduledExecutorService scheduler) {
        this.sweeper = scheduler.scheduleWithFixedDelay(this::sweep, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Arms a deadline for the current thread's next guest call. */
    Call arm(Duration timeout) {
        Call call = new Call(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        inFlight.add(call);
        return call;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Call call : inFlight) {
            if (now - call.deadline >= 0) {
                call.fire();
            }
        }
    }

    @Override
    public void close() {
        sweeper.cancel(false);
    }

    /** One armed call. */
    final class Call {
        private final Thread thread;
        private final long deadline;
        private boolean done;
        private boolean fired;

        private Call(Thread thread, long deadline) {
            this.thread = thread;
            this.deadline = deadline;
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
            inFlight.remove(this);
            if (passed) {
                Thread.interrupted();
            }
            return passed;
        }
    }
}
