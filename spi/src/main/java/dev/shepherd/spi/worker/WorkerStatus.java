package dev.shepherd.spi.worker;

/**
 * A worker's health status, as SMG's: only {@link #READY} workers receive traffic. A new worker is
 * {@link #PENDING} until its first successful probes.
 */
public enum WorkerStatus {
    PENDING, READY, NOT_READY, FAILED, DRAINING;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
