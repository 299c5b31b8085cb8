package dev.shepherd.kernel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.manifest.ManifestLoader;
import dev.shepherd.kernel.manifest.RoutingSection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RoutingFlagsTest {

    @Test
    void cacheAwareIsTheDefaultPolicyAndLoadIsPolledEveryTenSeconds() {
        RoutingSection routing = ManifestLoader.load(null, Map.of()).routing();

        assertThat(routing.policy()).isEqualTo("cache_aware");
        assertThat(routing.loadMonitorIntervalSecs()).isEqualTo(10);
    }

    @Test
    void smgsCacheAwareFlagsSetThePolicysSection() {
        RoutingSection routing = ManifestLoader.load(null, launch("launch", "--cache-threshold", "0.5",
                "--balance-abs-threshold", "32", "--balance-rel-threshold", "1.1", "--eviction-interval", "30",
                "--max-tree-size", "10000", "--balance-token-usage-threshold", "0.4",
                "--overload-token-usage-threshold", "0.9", "--load-monitor-interval", "3").overrides()).routing();

        assertThat(routing.policies().get("cache_aware").toString()).isEqualTo("{\"cache_threshold\":0.5,"
                + "\"balance_abs_threshold\":32,\"balance_rel_threshold\":1.1,\"eviction_interval_secs\":30,"
                + "\"max_tree_size\":10000,\"balance_token_usage_threshold\":0.4,\"overload_token_usage_threshold\":0.9}");
        assertThat(routing.loadMonitorIntervalSecs()).isEqualTo(3);
    }

    private static LaunchOptions launch(String... args) {
        CommandLine.ParseResult result = new CommandLine(new SmgCommand()).parseArgs(args);
        return ((SmgCommand.Launch) result.subcommand().commandSpec().userObject()).options;
    }
}
