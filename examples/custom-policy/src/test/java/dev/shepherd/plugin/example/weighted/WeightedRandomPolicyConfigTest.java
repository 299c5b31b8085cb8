package dev.shepherd.plugin.example.weighted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WeightedRandomPolicyConfigTest {

    @Test
    void missingWeightDefaultsToOne() {
        assertThat(new WeightedRandomPolicyConfig(null).defaultWeight()).isEqualTo(1.0);
    }

    @Test
    void refusesNonPositiveWeight() {
        assertThatThrownBy(() -> new WeightedRandomPolicyConfig(0.0)).hasMessageContaining("default_weight");
    }

    @Test
    void factoryIsNamedForTheManifest() {
        WeightedRandomPolicyFactory factory = new WeightedRandomPolicyFactory();
        assertThat(factory.name()).isEqualTo("weighted_random");
        assertThat(factory.configType()).isEqualTo(WeightedRandomPolicyConfig.class);
        assertThat(factory.create(new WeightedRandomPolicyConfig(null), null)).isNotNull();
    }
}
