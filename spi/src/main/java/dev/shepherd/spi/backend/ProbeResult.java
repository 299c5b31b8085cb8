package dev.shepherd.spi.backend;

/**
 * The outcome of one health probe.
 *
 * @param healthy true when the worker answered as healthy in time
 * @param detail the status code or failure, for logs and {@code /workers}
 */
public record ProbeResult(boolean healthy, String detail) {
}
