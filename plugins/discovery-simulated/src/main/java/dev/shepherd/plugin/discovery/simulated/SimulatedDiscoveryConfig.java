package dev.shepherd.plugin.discovery.simulated;

/**
 * The {@code discovery: simulated:} section.
 *
 * @param workers how many simulated engines to start (2)
 * @param model the model they serve ({@code sim-model})
 * @param decodeMs simulated time per output token in milliseconds (1.0)
 * @param onlyWithoutStaticWorkers start them only when no worker was configured otherwise, so the
 *                                 same manifest serves both the quick start and
 *                                 {@code --worker-urls} (true)
 */
public record SimulatedDiscoveryConfig(Integer workers, String model, Double decodeMs, Boolean onlyWithoutStaticWorkers) {

    public SimulatedDiscoveryConfig {
        workers = workers == null ? 2 : workers;
        model = model == null ? "sim-model" : model;
        decodeMs = decodeMs == null ? 1.0 : decodeMs;
        onlyWithoutStaticWorkers = onlyWithoutStaticWorkers == null || onlyWithoutStaticWorkers;
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers must be between 1 and 64, got " + workers);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (decodeMs < 0) {
            throw new IllegalArgumentException("decode_ms must not be negative");
        }
    }
}
