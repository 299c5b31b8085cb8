package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** SMG's {@code random}: uniform over the candidates, with a per-thread generator so threads never contend. */
public final class RandomPolicy implements Policy {

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        return Optional.of(candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())));
    }
}
