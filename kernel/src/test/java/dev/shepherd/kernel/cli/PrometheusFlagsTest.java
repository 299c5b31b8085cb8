package dev.shepherd.kernel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.manifest.ManifestLoader;
import dev.shepherd.kernel.manifest.ObservabilitySection;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PrometheusFlagsTest {

    @Test
    void smgsPrometheusFlagsSetTheObservabilitySection() {
        ObservabilitySection o = ManifestLoader.load(null, launch("launch", "--prometheus-host", "127.0.0.1",
                "--prometheus-port", "0", "--prometheus-duration-buckets", "0.5", "2", "0.1").overrides()).observability();

        assertThat(o.prometheusHost()).isEqualTo("127.0.0.1");
        assertThat(o.prometheusPort()).isZero();
        assertThat(o.prometheusDurationBuckets()).containsExactly(0.1, 0.5, 2.0);
    }

    @Test
    void bucketsMayAlsoBeCommaSeparated() {
        assertThat(launch("launch", "--prometheus-duration-buckets", "0.1,1,10").prometheusDurationBuckets)
                .containsExactly(0.1, 1.0, 10.0);
    }

    @Test
    void configPrintShowsTheObservabilityDefaults() {
        String printed = EffectiveManifest.render(ManifestLoader.load(null, java.util.Map.of()));

        assertThat(printed).contains("observability:").contains("prometheus_port: 29000").contains("metrics_enabled: true");
    }

    private static LaunchOptions launch(String... args) {
        CommandLine.ParseResult result = new CommandLine(new SmgCommand()).parseArgs(args);
        return ((SmgCommand.Launch) result.subcommand().commandSpec().userObject()).options;
    }
}
