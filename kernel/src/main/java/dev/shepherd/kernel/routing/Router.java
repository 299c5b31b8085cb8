package dev.shepherd.kernel.routing;

import dev.shepherd.kernel.manifest.ResilienceSection;
import dev.shepherd.kernel.worker.HealthChecker;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.backend.Backend;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/**
 * Step 6 of the request path: pick a worker with the model's policy and forward the request to it
 * through the worker's backend, retrying on another worker while nothing has reached the client.
 */
public final class Router {

    final WorkerRegistry registry;
    final PolicyRegistry policies;
    final Map<String, Backend> backends;
    final HealthChecker health;
    final ResilienceSection resilience;
    final int maxAttempts;
    final java.util.Set<Integer> retryableStatuses;
    final ResponseHooks responseHooks;
    /** Streams continued on another worker after their worker failed. */
    final java.util.concurrent.atomic.LongAdder resumedStreams = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param health told when live traffic cannot connect to a worker; null when checks are off
     */
    public Router(WorkerRegistry registry, PolicyRegistry policies, Map<String, Backend> backends,
                  HealthChecker health, ResilienceSection resilience) {
        this(registry, policies, backends, health, resilience, java.util.List.of());
    }

    /**
     * @param health told when live traffic cannot connect to a worker; null when checks are off
     * @param middleware the middleware chain in manifest order, whose {@code onResponse} hooks see answers
     */
    public Router(WorkerRegistry registry, PolicyRegistry policies, Map<String, Backend> backends,
                  HealthChecker health, ResilienceSection resilience,
                  java.util.List<dev.shepherd.spi.middleware.Middleware> middleware) {
        this.responseHooks = middleware.isEmpty() ? ResponseHooks.NONE : new ResponseHooks(middleware);
        this.registry = registry;
        this.policies = policies;
        this.backends = backends;
        this.health = health;
        this.resilience = resilience;
        this.maxAttempts = resilience.attempts();
        this.retryableStatuses = resilience.retryableStatuses();
    }

    /** Starts forwarding; the exchange is answered asynchronously. Call on the exchange's I/O thread. */
    public void forward(HttpServerExchange exchange, KernelGatewayRequest request, Api api) {
        new ProxiedRequest(this, exchange, request, api).start();
    }
}
