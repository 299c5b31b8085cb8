package dev.shepherd.plugin.policy.cacheaware;

import dev.shepherd.spi.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tenants of a candidate list, both ways: position to {@link Tenant}, and tenant index (as stored in
 * tree slots) to position. Built once per candidate membership, not per request: the kernel hands
 * policies copy-on-write snapshots, so the same list instance comes back request after request (an
 * identity check); a new instance with the same ids in the same order reuses the mapping after one
 * O(n) comparison. The {@value #CAPACITY} most recently used memberships are kept, so a retry's list
 * (the usual one minus the failed worker) does not evict the usual one. Lock-free; concurrent misses
 * may build the same mapping twice, which is harmless. A mapping holding a worker that left is dropped
 * by {@link #forget}; one that races with that is never reused for a new list instance
 * ({@link Mapping#stale()}), and inserts for a removed tenant are ignored by the tree.
 */
final class CandidateTenants {

    private static final int CAPACITY = 4;

    private final TenantTable table;
    private final AtomicReference<List<Mapping>> recent = new AtomicReference<>(List.of());

    CandidateTenants(TenantTable table) {
        this.table = table;
    }

    Mapping of(List<Worker> candidates) {
        List<Mapping> current = recent.get();
        for (int i = 0; i < current.size(); i++) {
            Mapping mapping = current.get(i);
            if (mapping.source == candidates) {
                if (i > 0) {
                    remember(mapping);
                }
                return mapping;
            }
        }
        for (Mapping mapping : current) {
            if (mapping.hasSameMembers(candidates) && !mapping.stale()) {
                Mapping same = mapping.over(candidates);
                remember(same);
                return same;
            }
        }
        Mapping built = Mapping.build(candidates, table);
        remember(built);
        return built;
    }

    /** Drops mappings that hold {@code workerId}: its tenant is gone. */
    void forget(String workerId) {
        recent.updateAndGet(list -> list.stream().filter(m -> !m.holds(workerId)).toList());
    }

    private void remember(Mapping fresh) {
        recent.updateAndGet(list -> {
            List<Mapping> next = new ArrayList<>(CAPACITY);
            next.add(fresh);
            for (Mapping m : list) {
                if (next.size() == CAPACITY) {
                    break;
                }
                if (m.tenants != fresh.tenants) {
                    next.add(m);
                }
            }
            return List.copyOf(next);
        });
    }

    /** One candidate list's tenants. Immutable. */
    static final class Mapping {

        private final List<Worker> source;
        private final String[] ids;
        /** By candidate position; null for a worker without a tenant (index space exhausted). */
        private final Tenant[] tenants;
        /** Open addressing: tenant index + 1 (0 = empty) to position. */
        private final int[] keys;
        private final int[] positions;
        private final int mask;

        private Mapping(List<Worker> source, String[] ids, Tenant[] tenants, int[] keys, int[] positions) {
            this.source = source;
            this.ids = ids;
            this.tenants = tenants;
            this.keys = keys;
            this.positions = positions;
            this.mask = keys.length - 1;
        }

        static Mapping build(List<Worker> candidates, TenantTable table) {
            int n = candidates.size();
            String[] ids = new String[n];
            Tenant[] tenants = new Tenant[n];
            int capacity = Integer.highestOneBit(Math.max(4, n * 2) - 1) << 1;
            int[] keys = new int[capacity];
            int[] positions = new int[capacity];
            for (int i = 0; i < n; i++) {
                ids[i] = candidates.get(i).id();
                Tenant tenant = table.tenantOf(ids[i]);
                tenants[i] = tenant;
                if (tenant != null) {
                    int slot = mix(tenant.index()) & (capacity - 1);
                    while (keys[slot] != 0) {
                        slot = (slot + 1) & (capacity - 1);
                    }
                    keys[slot] = tenant.index() + 1;
                    positions[slot] = i;
                }
            }
            return new Mapping(candidates, ids, tenants, keys, positions);
        }

        Mapping over(List<Worker> sameMembers) {
            return new Mapping(sameMembers, ids, tenants, keys, positions);
        }

        /** The candidate position holding {@code tenantIndex}, or -1 when it is not a candidate. */
        int positionOf(int tenantIndex) {
            int key = tenantIndex + 1;
            int slot = mix(tenantIndex) & mask;
            for (;;) {
                int k = keys[slot];
                if (k == key) {
                    return positions[slot];
                }
                if (k == 0) {
                    return -1;
                }
                slot = (slot + 1) & mask;
            }
        }

        /** The tenant of the candidate at {@code position}; null when it has none. */
        Tenant tenantAt(int position) {
            return tenants[position];
        }

        /** True when one of its tenants was removed since it was built (a worker left and came back). */
        boolean stale() {
            for (Tenant tenant : tenants) {
                if (tenant != null && tenant.isRemoved()) {
                    return true;
                }
            }
            return false;
        }

        boolean hasSameMembers(List<Worker> candidates) {
            if (candidates.size() != ids.length) {
                return false;
            }
            for (int i = 0; i < ids.length; i++) {
                if (!ids[i].equals(candidates.get(i).id())) {
                    return false;
                }
            }
            return true;
        }

        boolean holds(String workerId) {
            for (String id : ids) {
                if (id.equals(workerId)) {
                    return true;
                }
            }
            return false;
        }

        private static int mix(int index) {
            return index * 0x9E3779B9 >>> 7 ^ index;
        }
    }
}
