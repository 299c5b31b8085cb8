package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SMG's {@code round_robin}: one shared counter, taken modulo the candidate count. The counter is a
 * {@code long} so it never wraps in practice (an {@code int} would jump the rotation every 2^31 calls).
 * When the candidate list changes size the rotation simply continues over the new list.
 */
public final class RoundRobinPolicy implements Policy {

    private final AtomicLong next = new AtomicLong();

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        int position = (int) Math.floorMod(next.getAndIncrement(), (long) candidates.size());
        return Optional.of(candidates.get(position));
    }
}
