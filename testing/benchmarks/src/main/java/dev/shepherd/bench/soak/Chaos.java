package dev.shepherd.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chaos loop: every {@code chaosPause} a random healthy engine gets a random fault, which lasts
 * {@code faultMin..faultMax} ms — at most {@code maxFaulty} engines are faulty at once, counting those
 * the gateway does not route to yet (restarting, circuit still open), so the fleet always has capacity
 * left. A killed or crashed engine is restarted on its port when its fault ends.
 */
final class Chaos {

    enum Fault {
        /** Close the engine (listener and every connection dropped); restarted on the same port when the fault ends. */
        KILL(2),
        /** The engine's next request, if it streams, is cut after a few tokens and the engine crashes. */
        CRASH_MID_STREAM(2),
        /** Requests are accepted and never answered. */
        HANG(2),
        /** 300–1500 ms added before every first token. */
        SLOW(2),
        /** Every request answered 500, 502 or 503. */
        STORM(2),
        /** Every stream cut after a few tokens; the engine stays up. */
        CUT_STREAMS(1);

        final int weight;

        Fault(int weight) {
            this.weight = weight;
        }
    }

    private final List<InProcessSim> sims;
    private final java.util.function.IntSupplier routable;
    private final SoakSettings settings;
    private final SplittableRandom random;
    private final Path log;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService recoveries = Executors.newSingleThreadScheduledExecutor();
    private final Map<InProcessSim, ScheduledFuture<?>> faulty = new HashMap<>();
    private final Map<Fault, Integer> applied = new EnumMap<>(Fault.class);
    private volatile boolean running;
    private Thread loop;

    /**
     * @param routable how many workers the gateway routes to now (ready, circuit not open): a new fault
     *                 is only started while more than {@code engines - maxFaulty} are, so a restarted
     *                 engine still coming up, or one whose circuit is still open, counts as faulty too
     */
    Chaos(List<InProcessSim> sims, java.util.function.IntSupplier routable, SoakSettings settings, long seed, Path log) {
        this.sims = sims;
        this.routable = routable;
        this.settings = settings;
        this.random = new SplittableRandom(seed);
        this.log = log;
    }

    void start() {
        running = true;
        loop = Thread.ofPlatform().name("chaos").start(this::run);
    }

    private void run() {
        while (running) {
            Processes.pause(between(settings.chaosPauseMinMs(), settings.chaosPauseMaxMs()));
            if (!running) {
                return;
            }
            if (routable.getAsInt() <= sims.size() - settings.maxFaulty()) {
                continue;
            }
            InProcessSim target;
            synchronized (this) {
                List<InProcessSim> healthy = new ArrayList<>();
                for (InProcessSim sim : sims) {
                    if (!faulty.containsKey(sim)) {
                        healthy.add(sim);
                    }
                }
                if (faulty.size() >= settings.maxFaulty() || healthy.isEmpty()) {
                    continue;
                }
                target = healthy.get(random.nextInt(healthy.size()));
            }
            Fault fault = pick();
            if (apply(target, fault)) {
                long lasts = between(settings.faultMinMs(), settings.faultMaxMs());
                synchronized (this) {
                    applied.merge(fault, 1, Integer::sum);
                    faulty.put(target, recoveries.schedule(() -> recover(target), lasts, TimeUnit.MILLISECONDS));
                }
                event(fault + " on :" + target.port + " for " + lasts + " ms");
            }
        }
    }

    private Fault pick() {
        int total = 0;
        for (Fault f : Fault.values()) {
            total += f.weight;
        }
        int r = random.nextInt(total);
        for (Fault f : Fault.values()) {
            r -= f.weight;
            if (r < 0) {
                return f;
            }
        }
        return Fault.HANG;
    }

    /** False when the engine could not take the fault (it is still restarting). */
    private boolean apply(InProcessSim sim, Fault fault) {
        if (!sim.serving()) {
            return false;
        }
        return switch (fault) {
            case KILL -> {
                sim.kill();
                yield true;
            }
            case CRASH_MID_STREAM -> sim.faults("{\"die_after\":1,\"die_mid_stream_after_tokens\":" + between(1, 6) + "}");
            case HANG -> sim.faults("{\"hang\":true}");
            case SLOW -> sim.faults("{\"slow_ms\":" + between(300, 1500) + "}");
            case STORM -> sim.faults("{\"error_rate\":1.0,\"error_status\":" + new int[] {500, 502, 503}[random.nextInt(3)] + "}");
            case CUT_STREAMS -> sim.faults("{\"die_mid_stream_after_tokens\":" + between(1, 6) + "}");
        };
    }

    /** Ends a fault: a dead engine is restarted on its port, a live one has its faults cleared. */
    private void recover(InProcessSim sim) {
        synchronized (this) {
            if (faulty.remove(sim) == null) {
                return;
            }
        }
        if (sim.alive()) {
            sim.reset();
            event("recovered :" + sim.port);
        } else {
            sim.start();
            event("restarted :" + sim.port);
        }
    }

    /** Stops the loop and ends every fault now. */
    void stopAndRecover() {
        running = false;
        if (loop != null) {
            try {
                loop.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<InProcessSim> pending;
        synchronized (this) {
            faulty.values().forEach(f -> f.cancel(false));
            pending = new ArrayList<>(faulty.keySet());
        }
        recoveries.shutdown();
        try {
            recoveries.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.forEach(this::recover);
        for (InProcessSim sim : sims) {
            if (!sim.alive()) {
                sim.start();
                event("restarted :" + sim.port + " (crashed by a die fault)");
            } else {
                sim.reset();
            }
        }
    }

    synchronized Map<Fault, Integer> applied() {
        return new EnumMap<>(applied);
    }

    private long between(long min, long max) {
        return max <= min ? min : random.nextLong(min, max + 1);
    }

    private void event(String what) {
        String line = String.format("%8.1f s  %s%n", (System.nanoTime() - startNanos) / 1e9, what);
        try {
            Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
