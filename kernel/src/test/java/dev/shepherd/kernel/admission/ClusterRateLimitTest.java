package dev.shepherd.kernel.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.state.LocalStateStore;
import org.junit.jupiter.api.Test;

/** Two nodes over one store (a converged mesh): together they admit the limit per window, no more. */
class ClusterRateLimitTest {

    private final long[] now = {10_000};
    private final LocalStateStore store = new LocalStateStore();
    private final ClusterRateLimit a = new ClusterRateLimit(store, "a", 10, () -> now[0]);
    private final ClusterRateLimit b = new ClusterRateLimit(store, "b", 10, () -> now[0]);

    @Test
    void nodesShareOneBudgetPerWindow() {
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            if ((i % 3 == 0 ? a : b).tryAcquire() == 0) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(10);
        now[0] += 250;
        assertThat(a.tryAcquire()).isEqualTo(750_000_000L);

        now[0] += 750; // the next window: counts of the old one no longer matter
        assertThat(b.tryAcquire()).isZero();
        assertThat(a.tryAcquire()).isZero();
    }
}
