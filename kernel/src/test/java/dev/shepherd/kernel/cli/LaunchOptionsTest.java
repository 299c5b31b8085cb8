package dev.shepherd.kernel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.kernel.manifest.Manifest;
import dev.shepherd.kernel.manifest.ManifestLoader;
import dev.shepherd.spi.worker.WorkerSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LaunchOptionsTest {

    @Test
    void smgLaunchFlagsBecomeOverridesOfTheirManifestKeys() {
        Map<String, JsonNode> overrides = launchOptions("launch", "--worker-urls", "a", "b", "--policy", "random",
                "--port", "1").overrides();

        assertThat(overrides).containsOnlyKeys("/workers", "/routing/policy", "/server/port");
        assertThat(overrides.get("/workers").isArray()).isTrue();
        assertThat(overrides.get("/workers")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(overrides.get("/routing/policy").asText()).isEqualTo("random");
        assertThat(overrides.get("/server/port").isInt()).isTrue();
        assertThat(overrides.get("/server/port").asInt()).isEqualTo(1);
    }

    @Test
    void aListFlagStopsAtTheNextFlag() {
        LaunchOptions options = launchOptions("launch", "--control-plane-api-keys", "k1:a:admin:x", "k2:b:user:y",
                "--host", "127.0.0.1", "--worker-urls", "http://a:1", "http://b:2", "http://c:3", "--disable-retries");

        assertThat(options.controlPlaneApiKeys).containsExactly("k1:a:admin:x", "k2:b:user:y");
        assertThat(options.workerUrls).containsExactly("http://a:1", "http://b:2", "http://c:3");
        assertThat(options.host).isEqualTo("127.0.0.1");
        assertThat(options.overrides().get("/resilience/disable_retries").asBoolean()).isTrue();
    }

    @Test
    void flagsNotGivenOverrideNothing() {
        assertThat(launchOptions("launch").overrides()).isEmpty();
    }

    @Test
    void typedFlagsKeepTheirJsonTypes() {
        Map<String, JsonNode> overrides = launchOptions("launch", "--max-payload-size", "2048", "--disable-health-check",
                "--health-check-endpoint", "/ready", "--log-level", "warn", "--request-id-headers", "x-trace-id").overrides();

        assertThat(overrides.get("/server/max_payload_size").isIntegralNumber()).isTrue();
        assertThat(overrides.get("/server/max_payload_size").asLong()).isEqualTo(2048L);
        assertThat(overrides.get("/health/disabled").isBoolean()).isTrue();
        assertThat(overrides.get("/health/endpoint").asText()).isEqualTo("/ready");
        assertThat(overrides.get("/logging/level").asText()).isEqualTo("warn");
        assertThat(overrides.get("/server/request_id_headers")).extracting(JsonNode::asText).containsExactly("x-trace-id");
    }

    @Test
    void overridesFromFlagsBindIntoTheManifest() {
        LaunchOptions options = launchOptions("launch", "--worker-urls", "http://a:1", "http://b:2",
                "--policy", "random", "--port", "1", "--health-failure-threshold", "7");

        Manifest manifest = ManifestLoader.load(options.config, options.overrides());

        assertThat(manifest.workers()).extracting(WorkerSpec::url).containsExactly("http://a:1", "http://b:2");
        assertThat(manifest.routing().policy()).isEqualTo("random");
        assertThat(manifest.server().port()).isEqualTo(1);
        assertThat(manifest.health().failureThreshold()).isEqualTo(7);
    }

    @Test
    void configPrintShowsTheEffectiveManifest() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SmgCommand()).setOut(new PrintWriter(out));

        int exit = cli.execute("config", "print", "--port", "1234", "--api-key", "sk-secret");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("port: 1234").doesNotContain("sk-secret");
    }

    @Test
    void configPrintRefusesABadFlagWithTheConfigurationExitCode() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SmgCommand()).setErr(new PrintWriter(err));

        int exit = cli.execute("config", "print", "--port", "70000");

        assertThat(exit).isEqualTo(SmgCommand.CONFIG_ERROR);
        assertThat(err.toString()).contains("command line: server").contains("port must be between 0 and 65535");
    }

    @Test
    void meshFlagsMapOntoTheMeshSectionAndPeersImplyTheMesh() {
        var o = launchOptions("launch", "--enable-mesh", "--mesh-advertise-host", "10.0.0.1", "--mesh-port", "4000",
                "--mesh-server-name", "a", "--mesh-host", "10.0.0.1", "--mesh-advertise-port", "5000").overrides();
        assertThat(o.get("/mesh/enabled").asBoolean()).isTrue();
        assertThat(o.get("/mesh/config/advertise_host").asText()).isEqualTo("10.0.0.1");
        assertThat(o.get("/mesh/config/port").asInt()).isEqualTo(4000);
        assertThat(o.get("/mesh/config/advertise_port").asInt()).isEqualTo(5000);
        assertThat(o.get("/mesh/config/node_name").asText()).isEqualTo("a");
        for (String alias : new String[] {"--mesh-peer-urls", "--ha-mesh", "--seeds"}) {
            var peers = launchOptions("launch", alias, "b:39527,c:39527").overrides();
            assertThat(peers.get("/mesh/enabled").asBoolean()).isTrue();
            assertThat(peers.get("/mesh/config/seeds")).hasSize(2);
        }
        Manifest manifest = ManifestLoader.load(null, launchOptions("launch", "--seeds", "b:1").overrides());
        assertThat(manifest.mesh().enabled()).isTrue();
        assertThat(manifest.mesh().plugin()).isEqualTo("gossip");
        assertThat(manifest.mesh().config().path("seeds").get(0).asText()).isEqualTo("b:1");
        assertThat(ManifestLoader.load(null, Map.of()).mesh().enabled()).isFalse();
    }

    private static LaunchOptions launchOptions(String... args) {
        CommandLine.ParseResult result = new CommandLine(new SmgCommand()).parseArgs(args);
        SmgCommand.Launch launch = (SmgCommand.Launch) result.subcommand().commandSpec().userObject();
        return launch.options;
    }
}
