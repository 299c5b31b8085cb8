package dev.shepherd.spi.worker;

/** A worker's circuit breaker state: traffic flows when {@link #CLOSED} or {@link #HALF_OPEN}. */
public enum CircuitState {
    CLOSED, OPEN, HALF_OPEN;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
