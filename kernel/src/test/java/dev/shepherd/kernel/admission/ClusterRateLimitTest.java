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

        now[0] += 750; // the next window: each node is reserved what it took in the last one
        int admittedNext = 0;
        for (int i = 0; i < 20; i++) {
            if ((i % 3 == 0 ? a : b).tryAcquire() == 0) {
                admittedNext++;
            }
        }
        assertThat(admittedNext).isEqualTo(10);
    }

    @Test
    void aNodeNotYetHeardFromThisWindowIsReservedItsLastCount() {
        for (int i = 0; i < 8; i++) {
            assertThat(b.tryAcquire()).isZero(); // b is busy in window 10
        }
        now[0] += 1_000; // window 11 has just begun, and b's count for it has not arrived
        int admitted = 0;
        while (a.tryAcquire() == 0) {
            admitted++;
        }
        // a's fair share (10 / 2), not 10 - 0: b is about to spend what it spent the window before
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void twoSaturatedNodesSettleOnTheLimitAfterAColdFirstWindow() {
        // Two stores: neither node hears of the other during a window, as when gossip lags the burst.
        LocalStateStore storeA = new LocalStateStore();
        LocalStateStore storeB = new LocalStateStore();
        ClusterRateLimit lagA = new ClusterRateLimit(storeA, "a", 10, () -> now[0]);
        ClusterRateLimit lagB = new ClusterRateLimit(storeB, "b", 10, () -> now[0]);
        int[] perWindow = new int[4];
        for (int w = 0; w < perWindow.length; w++) {
            while (lagA.tryAcquire() == 0) {
                perWindow[w]++;
            }
            while (lagB.tryAcquire() == 0) {
                perWindow[w]++;
            }
            // Gossip catches up by the end of the window.
            storeB.put(ClusterRateLimit.NAMESPACE, "global/a", storeA.get(ClusterRateLimit.NAMESPACE, "global/a").orElseThrow());
            storeA.put(ClusterRateLimit.NAMESPACE, "global/b", storeB.get(ClusterRateLimit.NAMESPACE, "global/b").orElseThrow());
            now[0] += 1_000;
        }
        // Nobody had a count to go by at first; from then on each is held to its share.
        assertThat(perWindow).containsExactly(20, 10, 10, 10);
    }
}
