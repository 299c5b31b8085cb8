package dev.shepherd.plugin.policy.basic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * SMG's per-policy branch counters ({@code smg_<policy>_policy_branch_total{branch}}): which way each
 * routing decision went. Counters are registered once up front so recording one is an array index and
 * an increment. Policy instances of the same kind share the counters, as SMG's do.
 *
 * @param <B> the policy's branches; each constant's lower-case name is its {@code branch} label
 */
final class BranchCounters<B extends Enum<B>> {

    private final Counter[] counters;

    BranchCounters(MeterRegistry registry, String name, String description, Class<B> branches) {
        B[] constants = branches.getEnumConstants();
        counters = new Counter[constants.length];
        for (B branch : constants) {
            counters[branch.ordinal()] = Counter.builder(name)
                    .description(description)
                    .tag("branch", branch.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    void record(B branch) {
        counters[branch.ordinal()].increment();
    }
}
