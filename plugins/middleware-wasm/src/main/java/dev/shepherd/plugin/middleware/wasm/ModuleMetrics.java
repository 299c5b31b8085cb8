package dev.shepherd.plugin.middleware.wasm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One module's meters, resolved once so the hot path only increments: {@code smg_wasm_executions_total}
 * {module, hook, result}, {@code smg_wasm_failures_total} {module, kind} (traps and limit hits) and
 * {@code smg_wasm_execution_duration_seconds} {module, hook}; plus the totals {@code GET /wasm} shows.
 * Removed from the registry when the module goes.
 */
final class ModuleMetrics {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<Hook, Counter> successes = new EnumMap<>(Hook.class);
    private final Map<Hook, Counter> failuresByHook = new EnumMap<>(Hook.class);
    private final Map<Hook, Timer> durations = new EnumMap<>(Hook.class);
    private final Map<GuestOutcome.Kind, Counter> failures = new EnumMap<>(GuestOutcome.Kind.class);
    private final LongAdder total = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final AtomicLong maxNanos = new AtomicLong();
    private final AtomicLong lastAccessMillis = new AtomicLong();

    ModuleMetrics(MeterRegistry registry, String module) {
        this.registry = registry;
        for (Hook hook : Hook.values()) {
            successes.put(hook, keep(Counter.builder("smg_wasm_executions_total").description("WASM guest calls")
                    .tags("module", module, "hook", hook.exportName(), "result", "success").register(registry)));
            failuresByHook.put(hook, keep(Counter.builder("smg_wasm_executions_total").description("WASM guest calls")
                    .tags("module", module, "hook", hook.exportName(), "result", "failure").register(registry)));
            durations.put(hook, keep(Timer.builder("smg_wasm_execution_duration_seconds")
                    .description("Time of WASM guest calls, including the hop to a virtual thread")
                    .tags("module", module, "hook", hook.exportName()).register(registry)));
        }
        for (GuestOutcome.Kind kind : GuestOutcome.Kind.values()) {
            failures.put(kind, keep(Counter.builder("smg_wasm_failures_total")
                    .description("WASM guest traps and limit hits").tags("module", module, "kind", kind.label())
                    .register(registry)));
        }
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    void record(Hook hook, GuestOutcome outcome, long nanos, long nowMillis) {
        total.increment();
        totalNanos.add(nanos);
        maxNanos.accumulateAndGet(nanos, Math::max);
        lastAccessMillis.set(nowMillis);
        durations.get(hook).record(nanos, TimeUnit.NANOSECONDS);
        if (outcome instanceof GuestOutcome.Failed f) {
            failed.increment();
            failuresByHook.get(hook).increment();
            failures.get(f.kind()).increment();
        } else {
            successes.get(hook).increment();
        }
    }

    /** A failure found after the call (an unusable action). */
    void badAction(Hook hook) {
        failed.increment();
        failures.get(GuestOutcome.Kind.BAD_ACTION).increment();
    }

    long total() {
        return total.sum();
    }

    long failed() {
        return failed.sum();
    }

    long failures(GuestOutcome.Kind kind) {
        return (long) failures.get(kind).count();
    }

    double totalMillis() {
        return totalNanos.sum() / 1e6;
    }

    double maxMillis() {
        return maxNanos.get() / 1e6;
    }

    long lastAccessMillis() {
        return lastAccessMillis.get();
    }

    void remove() {
        meters.forEach(registry::remove);
    }
}
