package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashRingTest {

    @Test
    void holdsEveryWorkersVirtualNodes() {
        HashRing ring = HashRing.over(FakeWorker.fleet(5));
        assertThat(ring.pointCount()).isEqualTo(5 * HashRing.VIRTUAL_NODES_PER_WORKER);
        Set<Integer> owners = new HashSet<>();
        for (int point = 0; point < ring.pointCount(); point++) {
            owners.add(ring.positionAt(point));
        }
        assertThat(owners).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    void wrapsAroundPastTheLastPoint() {
        HashRing ring = HashRing.over(FakeWorker.fleet(3));
        int last = ring.pointCount() - 1;
        assertThat(ring.nextPointIndex(last)).isZero();
        assertThat(ring.pointIndexFor(Long.MAX_VALUE)).isZero();
        assertThat(ring.pointIndexFor(Long.MIN_VALUE)).isZero();
    }

    @Test
    void looksKeysUpOnTheFirstPointClockwise() {
        HashRing ring = HashRing.over(FakeWorker.fleet(3));
        for (int key = 0; key < 2_000; key++) {
            long location = HashRing.locationOf(RingHash.of("key-" + key));
            assertThat(ring.pointIndexFor(RingHash.of("key-" + key))).isEqualTo(bruteForceIndex(ring, location));
        }
    }

    @Test
    void ordersPointsAroundTheRing() {
        HashRing ring = HashRing.over(FakeWorker.fleet(4));
        for (int point = 1; point < ring.pointCount(); point++) {
            assertThat(ring.locationAt(point)).isGreaterThanOrEqualTo(ring.locationAt(point - 1));
        }
    }

    /** The first point at or after {@code location}, else the first point of all. */
    private static int bruteForceIndex(HashRing ring, long location) {
        for (int point = 0; point < ring.pointCount(); point++) {
            if (ring.locationAt(point) >= location) {
                return point;
            }
        }
        return 0;
    }

    @Test
    void refusesAnEmptyList() {
        assertThatThrownBy(() -> HashRing.over(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
