package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.sim.SimEngine;
import dev.shepherd.sim.SimEngineConfig;
import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator adds a routing policy by dropping a plugin zip into plugins/ and restarting. */
class PluginDropInE2ETest {

    @TempDir
    Path plugins;

    @Test
    void aDroppedInPolicyIsLoadedOnRestartAndSelectableByName() throws IOException {
        try (Stream<Path> zips = Files.list(GatewayProcess.serverHome().resolve("plugins"))) {
            // Only the zips: PF4J unpacks them beside themselves on first use.
            for (Path zip : zips.filter(p -> p.toString().endsWith(".zip")).toList()) {
                Files.copy(zip, plugins.resolve(zip.getFileName()));
            }
        }
        try (SimEngine worker = SimEngine.start(SimEngineConfig.defaults().withPort(0))) {
            GatewayProcess.Exited refused = GatewayProcess.run(Duration.ofSeconds(60), "launch",
                    "--port", "0", "--plugins-dir", plugins.toString(), "--worker-urls", worker.url(),
                    "--policy", "weighted_random");
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.output()).contains("no routing policy named 'weighted_random'");

            Path example = Path.of(System.getProperty("shepherd.example.plugin.zip"));
            Files.copy(example, plugins.resolve(example.getFileName()));
            try (GatewayProcess gateway = GatewayProcess.launch(Duration.ofSeconds(60), "--plugins-dir", plugins.toString(),
                    "--worker-urls", worker.url(), "--policy", "weighted_random")) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> Http.get(gateway.baseUrl() + "/readiness").statusCode() == 200);
                assertThat(Http.post(gateway.baseUrl() + "/v1/chat/completions", "application/json",
                        ChatThroughGatewayE2ETest.chatBody("custom policy")).statusCode()).isEqualTo(200);
                assertThat(gateway.output()).contains("loaded plugin example-weighted-random");
            }
        }
    }

    @Test
    void aPluginBuiltForAnotherSpiIsRefusedWithItsRange() throws IOException {
        Path zip = plugins.resolve("future-plugin.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("plugin.properties"));
            out.write("plugin.id=future-plugin\nplugin.version=9.0.0\nplugin.requires=>=9.0.0\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new java.util.zip.ZipEntry("classes/"));
            out.closeEntry();
        }
        GatewayProcess.Exited refused = GatewayProcess.run(Duration.ofSeconds(60), "launch",
                "--port", "0", "--plugins-dir", plugins.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.output()).contains("plugin 'future-plugin' requires SPI >=9.0.0 but this gateway provides SPI 0.1.0");
    }
}
