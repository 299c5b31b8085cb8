package dev.shepherd.plugin.example.weighted;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Picks a worker at random, each in proportion to its {@code weight} label. Stateless, so thread-safe. */
final class WeightedRandomPolicy implements Policy {

    private final double defaultWeight;

    WeightedRandomPolicy(WeightedRandomPolicyConfig config) {
        this.defaultWeight = config.defaultWeight();
    }

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        double total = 0;
        for (Worker w : candidates) {
            total += weight(w);
        }
        double point = ThreadLocalRandom.current().nextDouble(total);
        for (Worker w : candidates) {
            point -= weight(w);
            if (point < 0) {
                return Optional.of(w);
            }
        }
        return Optional.of(candidates.get(candidates.size() - 1));
    }

    private double weight(Worker worker) {
        String label = worker.labels().get("weight");
        if (label == null) {
            return defaultWeight;
        }
        try {
            double weight = Double.parseDouble(label);
            return weight > 0 ? weight : defaultWeight;
        } catch (NumberFormatException e) {
            return defaultWeight;
        }
    }
}
