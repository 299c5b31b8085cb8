package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code smg} command line as users type it. */
class CommandLineE2ETest {

    @TempDir
    Path dir;

    @Test
    void configPrintShowsFlagsOverTheManifestWithSecretsMasked() {
        GatewayProcess.Exited printed = GatewayProcess.run(Duration.ofSeconds(60), "config", "print",
                "--policy", "random", "--api-key", "top-secret", "--port", "31234");

        assertThat(printed.code()).as(printed.output()).isZero();
        assertThat(printed.output()).contains("policy: random").contains("port: 31234").contains("'****'")
                .doesNotContain("top-secret");
    }

    @Test
    void aBadManifestIsRefusedWithFileLineAndPath() throws IOException {
        Path manifest = dir.resolve("bad.yaml");
        Files.writeString(manifest, "server:\n  port: 8080\n  prot: 1\nrouting:\n  policy: round_robin\nhealth:\n  failure_threshold: zero\n");

        GatewayProcess.Exited refused = GatewayProcess.run(Duration.ofSeconds(60), "launch", "--config", manifest.toString());

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.output()).contains(manifest + ":3: server.prot: unknown key 'prot'")
                .contains(manifest + ":7: health.failure_threshold: bad value 'zero', expected an integer");
    }
}
