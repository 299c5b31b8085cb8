package dev.shepherd.plugin.middleware.wasm;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Idle instances of one module. Instances are not thread-safe, so each call borrows one for itself;
 * under load more are made, and only {@code maxIdle} are kept. Last in, first out keeps the warmest in use.
 */
final class InstancePool {

    private final ConcurrentLinkedDeque<GuestInstance> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int maxIdle;

    InstancePool(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    GuestInstance borrow(Supplier<GuestInstance> create) {
        GuestInstance instance = idle.pollFirst();
        if (instance == null) {
            return create.get();
        }
        idleCount.decrementAndGet();
        return instance;
    }

    /** Returns a healthy instance; one that trapped or was interrupted must never come back. */
    void giveBack(GuestInstance instance) {
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offerFirst(instance);
        } else {
            idleCount.decrementAndGet();
        }
    }

    int idle() {
        return idleCount.get();
    }

    void clear() {
        while (idle.pollFirst() != null) {
            idleCount.decrementAndGet();
        }
    }
}
