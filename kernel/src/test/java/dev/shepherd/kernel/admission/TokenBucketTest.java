package dev.shepherd.kernel.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void grantsTheBurstThenRefillsAtTheRate() {
        AtomicLong nanos = new AtomicLong();
        TokenBucket bucket = new TokenBucket(2.0, 2.0, nanos::get);

        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isZero();
        long wait = bucket.tryTake();
        assertThat(wait).isEqualTo(500_000_000L);

        nanos.addAndGet(500_000_000L);
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isPositive();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        AtomicLong nanos = new AtomicLong();
        TokenBucket bucket = new TokenBucket(10.0, 3.0, nanos::get);
        nanos.addAndGet(60_000_000_000L);

        int granted = 0;
        while (bucket.tryTake() == 0) {
            granted++;
        }
        assertThat(granted).isEqualTo(3);
    }
}
