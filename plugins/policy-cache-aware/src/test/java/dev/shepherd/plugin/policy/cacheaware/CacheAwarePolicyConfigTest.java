package dev.shepherd.plugin.policy.cacheaware;

import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheAwarePolicyConfigTest {

    @Test
    void anEmptySectionTakesSmgCliDefaultsAndShepherdsOwn() throws Exception {
        CacheAwarePolicyConfig config = bind("{}", CacheAwarePolicyConfig.class);

        assertThat(config.cacheThreshold()).isEqualTo(0.3);
        assertThat(config.balanceAbsThreshold()).isEqualTo(64);
        assertThat(config.balanceRelThreshold()).isEqualTo(1.5);
        assertThat(config.evictionIntervalSecs()).isEqualTo(120);
        assertThat(config.maxTreeSize()).isEqualTo(67_108_864L);
        assertThat(config.balanceTokenUsageThreshold()).isEqualTo(1.0);
        assertThat(config.overloadTokenUsageThreshold()).isEqualTo(1.0);
        assertThat(config.affinityLoadFactor()).isEqualTo(1.25);
        assertThat(config.affinityLoadSlack()).isEqualTo(2.0);
        assertThat(config.queuedTokensPerRequest()).isEqualTo(1024);
        assertThat(config.kvHighWatermark()).isEqualTo(0.9);
        assertThat(config.missPlacement()).isEqualTo(MissPlacement.MIN_LOAD);
        assertThat(config.loadScanLimit()).isEqualTo(64);
        assertThat(config).isEqualTo(CacheAwarePolicyConfig.defaults());
    }

    @Test
    void everySnakeCaseKeyBinds() throws Exception {
        CacheAwarePolicyConfig config = bind("""
                {'cache_threshold': 0.5, 'balance_abs_threshold': 32, 'balance_rel_threshold': 1.1,
                 'eviction_interval_secs': 30, 'max_tree_size': 10000, 'balance_token_usage_threshold': 0.4,
                 'overload_token_usage_threshold': 0.95, 'affinity_load_factor': 1.5, 'affinity_load_slack': 4,
                 'queued_tokens_per_request': 512, 'kv_high_watermark': 0.8, 'miss_placement': 'smallest_tree',
                 'load_scan_limit': 16}
                """, CacheAwarePolicyConfig.class);

        assertThat(config).isEqualTo(new CacheAwarePolicyConfig(0.5, 32, 1.1, 30, 10_000L, 0.4, 0.95, 1.5, 4.0, 512,
                0.8, MissPlacement.SMALLEST_TREE, 16));
    }

    @Test
    void theSmgBaselineTurnsEveryShepherdKeyOff() {
        CacheAwarePolicyConfig smg = CacheAwarePolicyConfig.smgBaseline();

        assertThat(smg.boundsAffinity()).isFalse();
        assertThat(smg.queuedTokensPerRequest()).isZero();
        assertThat(smg.kvHighWatermark()).isEqualTo(1.0);
        assertThat(smg.cacheThreshold()).isEqualTo(0.3);
        assertThat(CacheAwarePolicyConfig.defaults().boundsAffinity()).isTrue();
    }

    @Test
    void rejectsAnUnknownKey() {
        assertThatThrownBy(() -> bind("{'cache_treshold': 0.5}", CacheAwarePolicyConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("cache_treshold");
    }

    @Test
    void rejectsAnUnknownMissPlacement() {
        assertThatThrownBy(() -> bind("{'miss_placement': 'anywhere'}", CacheAwarePolicyConfig.class))
                .isInstanceOf(InvalidFormatException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'cache_threshold': 1.5}                | cache_threshold must be between 0.0 and 1.0",
        "{'cache_threshold': -0.1}               | cache_threshold must be between 0.0 and 1.0",
        "{'balance_abs_threshold': -1}           | balance_abs_threshold must be >= 0",
        "{'balance_rel_threshold': 0.9}          | balance_rel_threshold must be a finite number >= 1.0",
        "{'eviction_interval_secs': 0}           | eviction_interval_secs must be >= 1",
        "{'max_tree_size': 0}                    | max_tree_size must be >= 1",
        "{'balance_token_usage_threshold': -1}   | balance_token_usage_threshold must be a finite number >= 0.0",
        "{'overload_token_usage_threshold': -1}  | overload_token_usage_threshold must be a finite number >= 0.0",
        "{'affinity_load_factor': 0.5}           | affinity_load_factor must be 0 (unbounded) or >= 1.0",
        "{'affinity_load_slack': -2}             | affinity_load_slack must be a finite number >= 0.0",
        "{'queued_tokens_per_request': -5}       | queued_tokens_per_request must be >= 0",
        "{'kv_high_watermark': -0.5}             | kv_high_watermark must be a finite number >= 0.0",
    })
    void rejectsBadValuesWithThePlainMessage(String section, String message) {
        assertThatThrownBy(() -> bind(section, CacheAwarePolicyConfig.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining(message);
    }
}
