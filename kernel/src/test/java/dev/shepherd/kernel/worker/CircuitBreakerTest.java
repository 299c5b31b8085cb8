package dev.shepherd.kernel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.worker.CircuitState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong nanos = new AtomicLong();
    private final List<String> transitions = new ArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private CircuitBreaker breaker(int failures, int successes, Duration open, Duration window) {
        CircuitBreaker breaker = new CircuitBreaker(new CircuitBreaker.Settings(failures, successes, open, window),
                scheduler, nanos::get);
        breaker.setListener((from, to) -> {
            synchronized (transitions) {
                transitions.add(from.wireName() + "->" + to.wireName());
            }
        });
        return breaker;
    }

    @Test
    void opensAfterConsecutiveFailures() {
        CircuitBreaker breaker = breaker(3, 1, Duration.ofHours(1), Duration.ofHours(1));

        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions).containsExactly("closed->open");
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        CircuitBreaker breaker = breaker(2, 1, Duration.ofHours(1), Duration.ofHours(1));

        breaker.recordFailure();
        breaker.recordSuccess();
        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotAccumulate() {
        CircuitBreaker breaker = breaker(2, 1, Duration.ofHours(1), Duration.ofSeconds(10));

        breaker.recordFailure();
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void halfOpensAfterTheTimeoutThenClosesAfterEnoughSuccesses() {
        CircuitBreaker breaker = breaker(1, 2, Duration.ofMillis(50), Duration.ofHours(1));
        breaker.recordFailure();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> breaker.state() == CircuitState.HALF_OPEN);
        breaker.recordSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        breaker.recordSuccess();

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly("closed->open", "open->half_open", "half_open->closed");
    }

    @Test
    void aFailureWhileHalfOpenReopens() {
        CircuitBreaker breaker = breaker(1, 3, Duration.ofMillis(50), Duration.ofHours(1));
        breaker.recordFailure();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> breaker.state() == CircuitState.HALF_OPEN);

        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }
}
