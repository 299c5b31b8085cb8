package dev.shepherd.kernel.admission;

import dev.shepherd.spi.state.StateStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link ClusterRateLimit} per tenant: each tenant may send {@code perSecond} requests a second
 * to the whole cluster, whichever nodes they reach. Each tenant's counts live in their own namespace
 * ({@value #NAMESPACE_PREFIX}{@code <tenant>}, one key per node), so a node checking one tenant reads
 * only that tenant's keys. Keys are per node and tenant, not per window: they grow with the tenants
 * seen, not with time. Tenants come from the trusted tenant header or from authentication, so their
 * number is the operator's to bound.
 */
public final class ClusterTenantRateLimits {

    static final String NAMESPACE_PREFIX = "tenant_rate_limits:";

    private final StateStore store;
    private final String nodeId;
    private final double perSecond;
    private final LongSupplier millis;
    private final Map<String, ClusterRateLimit> byTenant = new ConcurrentHashMap<>();

    public ClusterTenantRateLimits(StateStore store, String nodeId, double perSecond, LongSupplier millis) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("the cluster tenant rate limit must be positive");
        }
        this.store = store;
        this.nodeId = nodeId;
        this.perSecond = perSecond;
        this.millis = millis;
    }

    /** Takes one of the tenant's requests from its budget: 0 when admitted, else nanoseconds to wait. */
    public long tryAcquire(String tenant) {
        return byTenant.computeIfAbsent(tenant,
                t -> new ClusterRateLimit(store, NAMESPACE_PREFIX + t, "", nodeId, perSecond, millis)).tryAcquire();
    }
}
