package dev.shepherd.kernel.admission;

import dev.shepherd.kernel.manifest.AdmissionSection.PriorityClass;
import java.util.concurrent.Executor;

/**
 * A request's place in the gateway: held from admission until the exchange completes. Until its
 * answer starts, a lower-class ticket may be preempted by a higher-class request.
 */
public final class AdmissionTicket {

    private final AdmissionController controller;
    private final String tenant;
    private final PriorityClass priorityClass;
    private final Executor ioThread;
    private final boolean counted;
    private volatile boolean started;
    private volatile boolean released;
    private volatile Runnable onPreempt = () -> { };

    AdmissionTicket(AdmissionController controller, String tenant, PriorityClass priorityClass, Executor ioThread,
                    boolean counted) {
        this.controller = controller;
        this.tenant = tenant;
        this.priorityClass = priorityClass;
        this.ioThread = ioThread;
        this.counted = counted;
    }

    public String tenant() {
        return tenant;
    }

    public PriorityClass priorityClass() {
        return priorityClass;
    }

    /** The answer has started reaching the client: this request can no longer be preempted. */
    public void markStarted() {
        started = true;
    }

    boolean preemptible() {
        return !started && !released;
    }

    boolean counted() {
        return counted;
    }

    /** What to do if preempted; runs on the request's I/O thread. */
    public void onPreempt(Runnable action) {
        this.onPreempt = action;
    }

    void preempt() {
        ioThread.execute(onPreempt);
    }

    /** Frees the slot. Idempotent. */
    public void release() {
        if (!released) {
            released = true;
            controller.release(this);
        }
    }
}
