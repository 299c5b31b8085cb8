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

        now[0] += 750; // the next window starts at the last one's pace: early on, few are admitted
        assertThat(b.tryAcquire()).isZero();
        assertThat(a.tryAcquire()).isZero();
    }

    @Test
    void aNodeNotYetHeardFromThisWindowIsAssumedToKeepItsLastPace() {
        for (int i = 0; i < 8; i++) {
            assertThat(b.tryAcquire()).isZero(); // b is busy in window 10
        }
        now[0] += 1_500; // window 11, half gone, and b's count for it has not arrived
        int admitted = 0;
        while (a.tryAcquire() == 0) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(6); // 10 - 8 * 0.5, not the whole 10
    }
}
