package dev.shepherd.kernel.worker;

import dev.shepherd.spi.worker.CircuitState;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One worker's circuit breaker, with SMG's state machine: closed → open after
 * {@code failureThreshold} consecutive failures (within the window); open → half-open once
 * {@code openDuration} has passed; half-open → closed after {@code successThreshold} successes, or
 * back to open on any failure. Half-open lets every request through, as SMG does.
 * Transitions are reported to a listener so the registry can republish which workers are routable.
 */
public final class CircuitBreaker {

    /** Told of every state change, outside the breaker's lock. */
    @FunctionalInterface
    public interface TransitionListener {
        void onTransition(CircuitState from, CircuitState to);
    }

    /**
     * @param failureThreshold consecutive failures that open the circuit
     * @param successThreshold half-open successes that close it
     * @param openDuration time open before half-open
     * @param window failures further apart than this restart the count
     */
    public record Settings(int failureThreshold, int successThreshold, Duration openDuration, Duration window) {
    }

    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private volatile TransitionListener listener = (from, to) -> { };
    private volatile CircuitState state = CircuitState.CLOSED;
    private int failures;
    private int successes;
    private long firstFailureNanos;
    private long openedGeneration;

    public CircuitBreaker(Settings settings, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
    }

    void setListener(TransitionListener listener) {
        this.listener = listener;
    }

    public CircuitState state() {
        return state;
    }

    /** Failures counted toward opening the circuit now. */
    public synchronized int consecutiveFailures() {
        return failures;
    }

    /** Half-open successes counted toward closing the circuit now. */
    public synchronized int consecutiveSuccesses() {
        return successes;
    }

    public void recordSuccess() {
        CircuitState from;
        CircuitState to;
        synchronized (this) {
            from = state;
            failures = 0;
            if (state != CircuitState.HALF_OPEN || ++successes < settings.successThreshold()) {
                return;
            }
            to = CircuitState.CLOSED;
            state = to;
        }
        listener.onTransition(from, to);
    }

    public void recordFailure() {
        CircuitState from;
        long generation;
        synchronized (this) {
            from = state;
            long now = nanoClock.getAsLong();
            if (state == CircuitState.OPEN) {
                return;
            }
            if (state == CircuitState.CLOSED) {
                if (failures == 0 || now - firstFailureNanos > settings.window().toNanos()) {
                    failures = 0;
                    firstFailureNanos = now;
                }
                if (++failures < settings.failureThreshold()) {
                    return;
                }
            }
            state = CircuitState.OPEN;
            failures = 0;
            successes = 0;
            generation = ++openedGeneration;
        }
        scheduler.schedule(() -> halfOpen(generation), settings.openDuration().toMillis(), TimeUnit.MILLISECONDS);
        listener.onTransition(from, CircuitState.OPEN);
    }

    private void halfOpen(long generation) {
        synchronized (this) {
            if (state != CircuitState.OPEN || generation != openedGeneration) {
                return;
            }
            state = CircuitState.HALF_OPEN;
            successes = 0;
        }
        listener.onTransition(CircuitState.OPEN, CircuitState.HALF_OPEN);
    }
}
