package dev.shepherd.kernel.routing;

import dev.shepherd.kernel.manifest.RoutingSection;
import dev.shepherd.kernel.plugin.Assembly;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerRegistryView;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One policy instance per model (policies keep per-model state such as prefix trees), created on a
 * model's first request from the model's own policy or the default one. Workers that leave the
 * registry are reported to every policy.
 */
public final class PolicyRegistry {

    private final Assembly assembly;
    private final RoutingSection routing;
    private final Map<String, Policy> byModel = new ConcurrentHashMap<>();

    public PolicyRegistry(Assembly assembly, RoutingSection routing, WorkerRegistryView workers) {
        this.assembly = assembly;
        this.routing = routing;
        workers.addListener(event -> {
            if (event instanceof WorkerEvent.Removed removed) {
                byModel.values().forEach(p -> p.onWorkerRemoved(removed.worker()));
            }
        });
    }

    public Policy forModel(String model) {
        Policy policy = byModel.get(model);
        return policy != null ? policy : byModel.computeIfAbsent(model, this::create);
    }

    /** The policy name a model routes with. */
    public String policyName(String model) {
        RoutingSection.ModelRouting own = routing.models().get(model);
        return own != null ? own.policy() : routing.policy();
    }

    private Policy create(String model) {
        return assembly.newPolicy(policyName(model));
    }
}
