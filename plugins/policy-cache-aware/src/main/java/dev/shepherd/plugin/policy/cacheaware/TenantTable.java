package dev.shepherd.plugin.policy.cacheaware;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tenants of one prefix tree: worker id to {@link Tenant}, and index to tenant for the nodes' slots.
 * A tenant index is {@value PrefixTree#TENANT_BITS} bits wide and never reused, so a node slot left
 * behind by a removed worker can never be mistaken for a new one. After {@link #MAX_TENANTS}
 * registrations (a million workers coming and going) new workers get no tenant and are routed by load
 * alone.
 */
final class TenantTable {

    static final int MAX_TENANTS = 1 << PrefixTree.TENANT_BITS;

    private final ConcurrentHashMap<String, Tenant> byWorkerId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Tenant> byIndex = new ConcurrentHashMap<>();
    private final AtomicInteger nextIndex = new AtomicInteger();

    /** The tenant of {@code workerId}, created on first sight; null once the index space is exhausted. */
    Tenant tenantOf(String workerId) {
        Tenant tenant = byWorkerId.get(workerId);
        return tenant != null ? tenant : byWorkerId.computeIfAbsent(workerId, this::create);
    }

    /** The tenant of {@code workerId} if it has one, without creating it. */
    Tenant find(String workerId) {
        return byWorkerId.get(workerId);
    }

    /** The tenant stored in a node slot, or null when it is unknown or was forgotten. */
    Tenant byIndex(int index) {
        return byIndex.get(index);
    }

    /** Marks the worker's tenant removed and forgets its id; returns the tenant, or null when it had none. */
    Tenant remove(String workerId) {
        Tenant tenant = byWorkerId.remove(workerId);
        if (tenant != null) {
            tenant.markRemoved();
        }
        return tenant;
    }

    /** Drops a removed tenant once the tree holds none of its slots. */
    void forget(Tenant tenant) {
        byIndex.remove(tenant.index(), tenant);
    }

    /** Every tenant the tree may still hold slots of: current ones and removed ones not yet forgotten. */
    List<Tenant> all() {
        return new ArrayList<>(byIndex.values());
    }

    /** Characters held by all tenants together. */
    long totalChars() {
        long total = 0;
        for (Tenant tenant : byIndex.values()) {
            total += tenant.chars();
        }
        return total;
    }

    private Tenant create(String workerId) {
        int index = nextIndex.getAndIncrement();
        if (index >= MAX_TENANTS) {
            nextIndex.set(MAX_TENANTS);
            return null; // computeIfAbsent stores nothing: the worker is routed by load only
        }
        Tenant tenant = new Tenant(index, workerId);
        byIndex.put(index, tenant);
        return tenant;
    }
}
