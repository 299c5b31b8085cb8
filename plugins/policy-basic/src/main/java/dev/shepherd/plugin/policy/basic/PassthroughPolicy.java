package dev.shepherd.plugin.policy.basic;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMG's {@code passthrough}: always the first candidate. Meant for a single worker or one external
 * upstream (a cloud provider, another gateway) that balances by itself, where any choosing is wasted
 * work. With several candidates it still works, as a primary with the rest as retry fall-backs in
 * list order; since that is rarely what was meant, it warns once, as SMG does.
 */
public final class PassthroughPolicy implements Policy {

    private static final Logger LOG = LoggerFactory.getLogger(PassthroughPolicy.class);

    private final AtomicBoolean warnedAboutSeveral = new AtomicBoolean();

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        if (candidates.size() > 1 && !warnedAboutSeveral.get() && warnedAboutSeveral.compareAndSet(false, true)) {
            LOG.warn("passthrough policy has {} candidate workers; all traffic goes to the first ({})",
                    candidates.size(), candidates.get(0).id());
        }
        return Optional.of(candidates.get(0));
    }
}
