package dev.shepherd.kernel.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.kernel.manifest.ConfigBinder;
import dev.shepherd.kernel.manifest.Manifest;
import dev.shepherd.kernel.manifest.ManifestException;
import dev.shepherd.kernel.observe.metrics.PluginCallMetrics;
import dev.shepherd.kernel.manifest.RoutingSection;
import dev.shepherd.spi.ExtensionFactory;
import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.ApiFactory;
import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.backend.BackendFactory;
import dev.shepherd.spi.discovery.Discovery;
import dev.shepherd.spi.discovery.DiscoveryFactory;
import dev.shepherd.spi.middleware.Middleware;
import dev.shepherd.spi.middleware.MiddlewareFactory;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The products the manifest asks for, created from the loaded factories. Every configuration is
 * bound first and every fault collected; nothing is created unless all of them bind. Products are
 * closed in reverse creation order.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class Assembly implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Assembly.class);

    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private final List<Api> apis = new ArrayList<>();
    private final List<Middleware> middleware = new ArrayList<>();
    private final List<Discovery> discoveries = new ArrayList<>();
    private final Map<String, Supplier<Policy>> policies = new LinkedHashMap<>();
    private final Deque<AutoCloseable> closeOrder = new ArrayDeque<>();

    private Assembly() {
    }

    /**
     * @throws ManifestException when a named plugin is missing or a configuration does not bind
     */
    public static Assembly assemble(Manifest manifest, PluginHost host, KernelServices services) {
        return assemble(manifest, host, services, PluginCallMetrics.disabled());
    }

    /**
     * Like {@link #assemble(Manifest, PluginHost, KernelServices)}, wrapping every policy and backend
     * it creates so their calls are measured ({@code smg_plugin_calls_total} and the duration histogram).
     *
     * @throws ManifestException when a named plugin is missing or a configuration does not bind
     */
    public static Assembly assemble(Manifest manifest, PluginHost host, KernelServices services,
                                    PluginCallMetrics calls) {
        List<String> faults = new ArrayList<>();
        ConfigBinder binder = new ConfigBinder(manifest.tree(), faults);
        Map<String, BackendFactory> backendFactories = host.factories(BackendFactory.class);
        Map<String, ApiFactory> apiFactories = host.factories(ApiFactory.class);
        Map<String, PolicyFactory> policyFactories = host.factories(PolicyFactory.class);
        Map<String, MiddlewareFactory> middlewareFactories = host.factories(MiddlewareFactory.class);
        Map<String, DiscoveryFactory> discoveryFactories = host.factories(DiscoveryFactory.class);

        List<Pending> backendsToMake = selectNamed("backends", manifest.backends(), backendFactories, binder);
        List<Pending> apisToMake = selectNamed("apis", manifest.apis(), apiFactories, binder);
        List<Pending> discoveryToMake = selectNamed("discovery",
                manifest.discovery() == null ? Map.of() : manifest.discovery(), discoveryFactories, binder);
        List<Pending> middlewareToMake = new ArrayList<>();
        for (int i = 0; i < manifest.middleware().size(); i++) {
            String name = manifest.middleware().get(i).path("name").asText();
            MiddlewareFactory factory = middlewareFactories.get(name);
            if (factory == null) {
                binder.fault("/middleware/" + i + "/name", "no middleware plugin named '" + name + "' is loaded"
                        + known(middlewareFactories));
            } else {
                middlewareToMake.add(new Pending(factory, (Record) binder.bind("/middleware/" + i + "/config", factory.configType())));
            }
        }
        Map<String, Record> policyConfigs = new LinkedHashMap<>();
        Set<String> policyNames = new LinkedHashSet<>();
        policyNames.add(manifest.routing().policy());
        manifest.routing().models().values().forEach(m -> policyNames.add(m.policy()));
        if (manifest.routing().routingKeyOverride()) {
            policyNames.add(RoutingSection.STICKY_POLICY);
        }
        for (String name : policyNames) {
            PolicyFactory factory = policyFactories.get(name);
            if (factory == null) {
                binder.fault("/routing/policy", "no routing policy named '" + name + "' is loaded" + known(policyFactories));
            } else {
                policyConfigs.put(name, (Record) binder.bind("/routing/policies/" + name, factory.configType()));
            }
        }
        for (String configured : manifest.routing().policies().keySet()) {
            if (!policyFactories.containsKey(configured)) {
                binder.fault("/routing/policies/" + configured, "no routing policy named '" + configured
                        + "' is loaded" + known(policyFactories));
            }
        }
        if (!faults.isEmpty()) {
            throw new ManifestException(faults);
        }

        Assembly assembly = new Assembly();
        try {
            for (Pending p : backendsToMake) {
                assembly.backends.put(p.factory.name(), calls.measure((Backend) assembly.create(p, services),
                        host.pluginIdOf(p.factory), p.factory.name()));
            }
            for (Pending p : apisToMake) {
                assembly.apis.add(assembly.create(p, services));
            }
            for (Pending p : middlewareToMake) {
                assembly.middleware.add(assembly.create(p, services));
            }
            policyConfigs.forEach((name, config) -> {
                PolicyFactory factory = policyFactories.get(name);
                String plugin = host.pluginIdOf(factory);
                assembly.policies.put(name, () -> calls.measure((Policy) assembly.create(new Pending(factory, config), services),
                        plugin, name));
            });
            for (Pending p : discoveryToMake) {
                assembly.discoveries.add(assembly.create(p, services));
            }
        } catch (RuntimeException e) {
            assembly.close();
            throw e;
        }
        return assembly;
    }

    /** Factories named in a manifest section, or every factory found when the section is absent. */
    private static List<Pending> selectNamed(String section, Map<String, JsonNode> configured,
                                             Map<String, ? extends ExtensionFactory> factories, ConfigBinder binder) {
        List<Pending> result = new ArrayList<>();
        if (configured == null) {
            factories.values().forEach(f -> result.add(new Pending(f, (Record) binder.bind("/" + section + "/" + f.name(), f.configType()))));
            return result;
        }
        configured.keySet().forEach(name -> {
            ExtensionFactory factory = factories.get(name);
            if (factory == null) {
                binder.fault("/" + section + "/" + name, "no plugin named '" + name + "' is loaded" + known(factories));
            } else {
                result.add(new Pending(factory, (Record) binder.bind("/" + section + "/" + name, factory.configType())));
            }
        });
        return result;
    }

    private static String known(Map<String, ?> factories) {
        return factories.isEmpty() ? " (none of this kind is loaded)" : " (loaded: " + String.join(", ", factories.keySet()) + ")";
    }

    private <T> T create(Pending pending, KernelServices services) {
        ExtensionFactory factory = pending.factory;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Libraries inside plugins (JDBC, gRPC, ServiceLoader users) look for their classes here.
        thread.setContextClassLoader(factory.getClass().getClassLoader());
        try {
            Object product = factory.create(pending.config, new KernelPluginContext(services, factory.name()));
            if (product instanceof AutoCloseable closeable) {
                closeOrder.push(closeable);
            }
            LOG.debug("created {} from {}", factory.name(), factory.getClass().getName());
            return (T) product;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public Map<String, Backend> backends() {
        return backends;
    }

    public List<Api> apis() {
        return apis;
    }

    public List<Middleware> middleware() {
        return middleware;
    }

    public List<Discovery> discoveries() {
        return discoveries;
    }

    /** A new policy instance of the named (already validated) policy. */
    public Policy newPolicy(String name) {
        Supplier<Policy> supplier = policies.get(name);
        if (supplier == null) {
            throw new IllegalArgumentException("no routing policy named '" + name + "'");
        }
        return supplier.get();
    }

    @Override
    public void close() {
        while (!closeOrder.isEmpty()) {
            AutoCloseable closeable = closeOrder.pop();
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", closeable, e);
            }
        }
    }

    private record Pending(ExtensionFactory factory, Record config) {
    }
}
