package dev.shepherd.kernel.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.state.LocalStateStore;
import org.junit.jupiter.api.Test;

/** Two nodes over one store (a converged mesh): each tenant has its own budget, shared by the nodes. */
class ClusterTenantRateLimitsTest {

    private final long[] now = {10_000};
    private final LocalStateStore store = new LocalStateStore();
    private final ClusterTenantRateLimits a = new ClusterTenantRateLimits(store, "a", 4, () -> now[0]);
    private final ClusterTenantRateLimits b = new ClusterTenantRateLimits(store, "b", 4, () -> now[0]);

    @Test
    void aTenantsBudgetIsSharedByTheNodesItReaches() {
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            if ((i % 2 == 0 ? a : b).tryAcquire("acme") == 0) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(4);
        assertThat(b.tryAcquire("acme")).isEqualTo(1_000_000_000L); // until the next window
    }

    @Test
    void oneTenantSpendingItsBudgetLeavesTheOthersAlone() {
        while (a.tryAcquire("acme") == 0) {
            // spend acme's budget on a
        }
        for (int i = 0; i < 4; i++) {
            assertThat(b.tryAcquire("globex")).isZero();
        }
        assertThat(a.tryAcquire("globex")).isPositive();
    }

    @Test
    void tenantsWhoseNamesArePrefixesOfOneAnotherDoNotShareCounts() {
        for (int i = 0; i < 4; i++) {
            assertThat(a.tryAcquire("team/a")).isZero();
        }
        assertThat(b.tryAcquire("team")).isZero();
        assertThat(b.tryAcquire("team/")).isZero();
    }
}
