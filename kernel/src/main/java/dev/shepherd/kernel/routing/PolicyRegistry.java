package dev.shepherd.kernel.routing;

import dev.shepherd.kernel.manifest.RoutingSection;
import dev.shepherd.kernel.plugin.Assembly;
import dev.shepherd.spi.GatewayRequest;
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
    private final Map<String, Policy> stickyByModel = new ConcurrentHashMap<>();

    public PolicyRegistry(Assembly assembly, RoutingSection routing, WorkerRegistryView workers) {
        this.assembly = assembly;
        this.routing = routing;
        workers.addListener(event -> {
            if (event instanceof WorkerEvent.Removed removed) {
                byModel.values().forEach(p -> p.onWorkerRemoved(removed.worker()));
                stickyByModel.values().forEach(p -> p.onWorkerRemoved(removed.worker()));
            }
        });
    }

    public Policy forModel(String model) {
        Policy policy = byModel.get(model);
        return policy != null ? policy : byModel.computeIfAbsent(model, this::create);
    }

    /**
     * The policy for one request: the model's, unless {@code routing_key_override} is on and the
     * request carries a routing key its policy would ignore.
     */
    public Policy forRequest(GatewayRequest request) {
        String model = request.model();
        if (routing.routingKeyOverride() && request.routingKey().isPresent() && !keyAware(policyName(model))) {
            return stickyByModel.computeIfAbsent(model, m -> assembly.newPolicy(RoutingSection.STICKY_POLICY));
        }
        return forModel(model);
    }

    /** The name of the policy {@link #forRequest} picks. */
    public String policyName(GatewayRequest request) {
        String name = policyName(request.model());
        return routing.routingKeyOverride() && request.routingKey().isPresent() && !keyAware(name)
                ? RoutingSection.STICKY_POLICY : name;
    }

    private static boolean keyAware(String policy) {
        return policy.equals("manual") || policy.equals("consistent_hashing");
    }

    /** Whether a policy made so far reads the workers' own load reports (so they are worth polling). */
    public boolean anyReadsLoadReports() {
        for (Policy p : byModel.values()) {
            if (p.readsLoadReports()) {
                return true;
            }
        }
        for (Policy p : stickyByModel.values()) {
            if (p.readsLoadReports()) {
                return true;
            }
        }
        return false;
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
