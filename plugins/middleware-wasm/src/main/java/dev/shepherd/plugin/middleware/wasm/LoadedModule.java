package dev.shepherd.plugin.middleware.wasm;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guest module as the gateway runs it: its code, its pool of instances, its variables, its limits and
 * its counters. {@link #call} runs on the caller's thread (a virtual thread, never an I/O thread) under
 * the module's deadline. Thread-safe.
 */
final class LoadedModule {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModule.class);

    private final String id = UUID.randomUUID().toString();
    private final ModuleConfig config;
    private final String sha256;
    private final int sizeBytes;
    private final Instant createdAt;
    private final GuestModule guest;
    private final InstancePool pool;
    private final CrashGuard crashGuard;
    private final ModuleMetrics metrics;
    private final Deadlines deadlines;
    private final Clock clock;
    private final Duration timeout;
    private final FailureMode failureMode;
    private volatile Set<Hook> hooks;

    LoadedModule(ModuleConfig config, String sha256, int sizeBytes, GuestModule guest, int maxIdle, ModuleMetrics metrics,
                 Deadlines deadlines, Clock clock) {
        this.config = config;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.guest = guest;
        this.pool = new InstancePool(maxIdle);
        this.crashGuard = new CrashGuard(clock);
        this.metrics = metrics;
        this.deadlines = deadlines;
        this.clock = clock;
        this.createdAt = clock.instant();
        this.timeout = Duration.ofMillis(config.timeoutMs());
        this.failureMode = config.failure();
        this.hooks = Set.copyOf(config.hookSet());
    }

    /**
     * Makes the first instance (running the guest's start-up and {@code on_configure}) under the deadline
     * and keeps it warm, so a module that cannot start is refused at load, not on the first request.
     *
     * @throws InvalidModuleException when it traps, times out or refuses its configuration
     */
    void warmUp() {
        Deadlines.Call watchdog = deadlines.arm(timeout);
        GuestInstance first;
        try {
            first = guest.instantiate();
        } catch (InvalidModuleException e) {
            watchdog.disarm();
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            boolean late = watchdog.disarm();
            throw new InvalidModuleException(late ? "the guest did not start within " + timeout.toMillis() + " ms"
                    : "the guest trapped while starting: " + e.getMessage(), e);
        }
        watchdog.disarm();
        pool.giveBack(first);
    }

    /** Runs {@code hook} with {@code message} as input, on the current thread, under the deadline. */
    GuestOutcome call(Hook hook, byte[] message) {
        long start = System.nanoTime();
        GuestOutcome outcome = crashGuard.allows() ? invoke(hook, message)
                : new GuestOutcome.Failed(GuestOutcome.Kind.QUARANTINED, "cooling down after repeated crashes");
        metrics.record(hook, outcome, System.nanoTime() - start, clock.millis());
        return outcome;
    }

    /** Counts a call refused before it reached the guest (a limit the host enforces). */
    GuestOutcome refuse(Hook hook, GuestOutcome.Kind kind, String detail) {
        GuestOutcome outcome = failed(kind, detail);
        metrics.record(hook, outcome, 0, clock.millis());
        return outcome;
    }

    private GuestOutcome invoke(Hook hook, byte[] message) {
        Deadlines.Call watchdog = deadlines.arm(timeout);
        GuestInstance instance = null;
        try {
            instance = pool.borrow(guest::instantiate);
            int status = instance.invoke(hook.exportName(), message);
            // Read what the guest wrote before the instance goes back: another call may take it at once.
            byte[] output = instance.call().output();
            boolean outputRefused = instance.call().outputRefused();
            int maxOutput = instance.call().maxOutputBytes();
            if (watchdog.disarm()) {
                // Finished just as the deadline passed: the answer is good, the instance too.
                LOG.debug("module {}: {} finished at its deadline", config.name(), hook.exportName());
            }
            pool.giveBack(instance);
            crashGuard.succeeded();
            if (outputRefused) {
                return failed(GuestOutcome.Kind.OUTPUT_TOO_LARGE, "the guest wrote more than " + maxOutput + " bytes of output");
            }
            if (status != 0) {
                return failed(GuestOutcome.Kind.GUEST_ERROR, hook.exportName() + " returned status " + status);
            }
            return new GuestOutcome.Completed(output);
        } catch (InvalidModuleException e) {
            watchdog.disarm();
            crashGuard.crashed();
            return failed(GuestOutcome.Kind.TRAP, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // The instance is in an unknown state: drop it; the next call gets a fresh one.
            boolean late = watchdog.disarm();
            crashGuard.crashed();
            if (late || e instanceof ChicoryInterruptedException) {
                return failed(GuestOutcome.Kind.TIMEOUT, hook.exportName() + " ran past its " + timeout.toMillis() + " ms deadline");
            }
            GuestOutcome.Kind kind = instance != null && instance.memoryPages() >= config.maxPages()
                    ? GuestOutcome.Kind.MEMORY : GuestOutcome.Kind.TRAP;
            return failed(kind, hook.exportName() + " trapped: " + e);
        }
    }

    private GuestOutcome failed(GuestOutcome.Kind kind, String detail) {
        LOG.warn("wasm module {}: {} ({})", config.name(), detail, kind.label());
        return new GuestOutcome.Failed(kind, detail);
    }

    String id() {
        return id;
    }

    String name() {
        return config.name();
    }

    ModuleConfig config() {
        return config;
    }

    String sha256() {
        return sha256;
    }

    int sizeBytes() {
        return sizeBytes;
    }

    Instant createdAt() {
        return createdAt;
    }

    FailureMode failureMode() {
        return failureMode;
    }

    boolean streamEvents() {
        return config.streamEvents();
    }

    Set<Hook> hooks() {
        return hooks;
    }

    boolean attachedTo(Hook hook) {
        return hooks.contains(hook);
    }

    /** Attaches to a hook the guest exports. */
    void attach(Hook hook) {
        if (!guest.exports(hook.exportName())) {
            throw new InvalidModuleException("module '" + name() + "' does not export " + hook.exportName());
        }
        Set<Hook> next = hooks.isEmpty() ? EnumSet.noneOf(Hook.class) : EnumSet.copyOf(hooks);
        next.add(hook);
        hooks = Set.copyOf(next);
    }

    void detach(Hook hook) {
        Set<Hook> next = hooks.isEmpty() ? EnumSet.noneOf(Hook.class) : EnumSet.copyOf(hooks);
        next.remove(hook);
        hooks = Set.copyOf(next);
    }

    ModuleMetrics metrics() {
        return metrics;
    }

    int idleInstances() {
        return pool.idle();
    }

    /** Drops the warm instances; calls in flight finish on theirs. */
    void retire() {
        pool.clear();
    }
}
