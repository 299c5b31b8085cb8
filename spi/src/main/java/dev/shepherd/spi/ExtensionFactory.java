package dev.shepherd.spi;

import java.util.List;
import java.util.Set;
import org.pf4j.ExtensionPoint;

/**
 * The contract every extension point shares: a named factory that binds its configuration from the
 * manifest and creates one product per configured use.
 *
 * <h2>Configuration binding</h2>
 * {@link #configType()} is a record. The kernel binds it from the manifest section named after
 * {@link #name()} with Jackson: keys are snake_case ({@code cacheThreshold} binds
 * {@code cache_threshold}), unknown keys are rejected, and a missing section binds an empty object.
 * Components should be boxed so a missing key arrives as {@code null}; the compact constructor
 * applies defaults and validates, throwing {@link IllegalArgumentException} with a plain message.
 * The kernel adds the file, line and YAML path of the fault and stops start-up after collecting every
 * binding error of every plugin.
 *
 * <h2>Lifecycle</h2>
 * discover, check the SPI version, bind every configuration, {@link #create} in {@link #dependsOn()}
 * order, serve, drain, then close products that are {@link AutoCloseable} in reverse order.
 * {@code create} runs once per configured use, on a start-up thread; it may block.
 *
 * @param <C> the configuration record
 * @param <T> the product
 */
public interface ExtensionFactory<C extends Record, T> extends ExtensionPoint {

    /** The manifest key and the name users select it by, snake_case as in SMG ({@code round_robin}). */
    String name();

    /** The record the kernel binds this factory's manifest section to. */
    Class<C> configType();

    /** Creates the product. Throw {@link IllegalArgumentException} for configuration it cannot serve. */
    T create(C config, PluginContext context);

    /** Configuration keys whose values are secrets: masked in {@code smg config print} and in logs. */
    default Set<String> sensitiveKeys() {
        return Set.of();
    }

    /** Names of other factories whose products must be created before this one and closed after it. */
    default List<String> dependsOn() {
        return List.of();
    }
}
