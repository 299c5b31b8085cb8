package dev.shepherd.plugin.middleware.wasm;

import java.time.Clock;
import java.time.Duration;

/**
 * Stops a crash loop: when a module's instances keep dying (traps, deadlines, refused configuration),
 * calls stop making new instances for a cool-down that doubles while the crashing goes on, and are
 * answered per the failure mode meanwhile. One success resets the cool-down.
 */
final class CrashGuard {

    static final int THRESHOLD = 5;
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final Duration FIRST_COOLDOWN = Duration.ofSeconds(1);
    static final Duration MAX_COOLDOWN = Duration.ofSeconds(60);

    private final Clock clock;
    private long windowStart;
    private int crashes;
    private long openUntil;
    private long cooldownMillis = FIRST_COOLDOWN.toMillis();

    CrashGuard(Clock clock) {
        this.clock = clock;
    }

    /** False while the module is cooling down after a crash loop. */
    synchronized boolean allows() {
        return clock.millis() >= openUntil;
    }

    synchronized void crashed() {
        long now = clock.millis();
        if (now - windowStart > WINDOW.toMillis()) {
            windowStart = now;
            crashes = 0;
        }
        crashes++;
        if (crashes >= THRESHOLD) {
            openUntil = now + cooldownMillis;
            cooldownMillis = Math.min(cooldownMillis * 2, MAX_COOLDOWN.toMillis());
            crashes = 0;
            windowStart = now;
        }
    }

    synchronized void succeeded() {
        cooldownMillis = FIRST_COOLDOWN.toMillis();
    }
}
