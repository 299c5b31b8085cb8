package dev.shepherd.kernel.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {

    /** A plugin-style configuration record: boxed components, defaults and checks in the compact constructor. */
    record CacheConfig(Double cacheThreshold, Integer maxTrees, Mode mode) {
        enum Mode { EAGER, LAZY }

        CacheConfig {
            cacheThreshold = cacheThreshold == null ? 0.3 : cacheThreshold;
            maxTrees = maxTrees == null ? 8 : maxTrees;
            mode = mode == null ? Mode.LAZY : mode;
            if (cacheThreshold < 0 || cacheThreshold > 1) {
                throw new IllegalArgumentException("cache_threshold must be in [0, 1], got " + cacheThreshold);
            }
        }
    }

    private final List<String> faults = new ArrayList<>();

    @Test
    void aMissingSectionBindsAsAnEmptyMapping() {
        ConfigBinder binder = binder("other: 1\n");

        assertThat(binder.bind("/routing/policies/cache_aware", CacheConfig.class))
                .isEqualTo(new CacheConfig(0.3, 8, CacheConfig.Mode.LAZY));
        assertThat(faults).isEmpty();
    }

    @Test
    void snakeCaseKeysAndCaseInsensitiveEnumsBind() {
        ConfigBinder binder = binder("cfg:\n  cache_threshold: 0.5\n  max_trees: 2\n  mode: eager\n");

        assertThat(binder.bind("/cfg", CacheConfig.class)).isEqualTo(new CacheConfig(0.5, 2, CacheConfig.Mode.EAGER));
    }

    @Test
    void faultsAreCollectedRatherThanThrown() {
        ConfigBinder binder = binder("""
                a:
                  cache_threshold: 2.0
                b:
                  max_trees: lots
                c:
                  mode: sideways
                d:
                  cacheThreshold: 0.1
                e:
                  max_trees: [1]
                """);

        assertThat(binder.bind("/a", CacheConfig.class)).isNull();
        assertThat(binder.bind("/b", CacheConfig.class)).isNull();
        assertThat(binder.bind("/c", CacheConfig.class)).isNull();
        assertThat(binder.bind("/d", CacheConfig.class)).isNull();
        assertThat(binder.bind("/e", CacheConfig.class)).isNull();

        assertThat(faults).hasSize(5);
        assertThat(faults.get(0)).matches("cfg\\.yaml:[12]: a(\\.cache_threshold)?: cache_threshold must be in \\[0, 1\\], got 2\\.0");
        assertThat(faults.get(1)).isEqualTo("cfg.yaml:4: b.max_trees: bad value 'lots', expected an integer");
        assertThat(faults.get(2)).isEqualTo("cfg.yaml:6: c.mode: bad value 'sideways', expected one of eager, lazy");
        assertThat(faults.get(3)).startsWith("cfg.yaml:8: d.cacheThreshold: unknown key 'cacheThreshold' (known keys: cache_threshold, max_trees, mode)");
        assertThat(faults.get(4)).isEqualTo("cfg.yaml:10: e.max_trees: expected an integer");
    }

    @Test
    void aCrossFieldFaultIsLocatedLikeABindingFault() {
        ConfigBinder binder = binder("routing:\n  policy: nope\n");

        binder.fault("/routing/policy", "no routing policy named 'nope' is loaded");

        assertThat(faults).containsExactly("cfg.yaml:2: routing.policy: no routing policy named 'nope' is loaded");
    }

    private ConfigBinder binder(String yaml) {
        return new ConfigBinder(YamlTreeReader.read("cfg.yaml", yaml), faults);
    }
}
