package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimEngineMainTest {

  @Test
  void defaultsMatchTheDocumentedFlags() {
    SimEngineConfig config = parse();

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8001);
    assertThat(config.models()).containsExactly("sim-model");
    assertThat(config.prefillBaseMs()).isZero();
    assertThat(config.prefillTokensPerSecond()).isEqualTo(100_000.0);
    assertThat(config.decodeMs()).isEqualTo(1.0);
    assertThat(config.maxRunning()).isEqualTo(256);
    assertThat(config.blockSize()).isEqualTo(16);
    assertThat(config.kvTokens()).isEqualTo(262_144);
    assertThat(config.faults()).isEqualTo(FaultSettings.NONE);
  }

  @Test
  void mapsEveryFlag() {
    SimEngineConfig config = parse("--host", "0.0.0.0", "--port", "0", "--model", "a", "--model", "b",
        "--prefill-base-ms", "5", "--prefill-tps", "2000", "--decode-ms", "0.5", "--max-running", "8",
        "--block-size", "32", "--kv-tokens", "4096", "--max-model-len", "2048", "--io-threads", "3",
        "--recent-requests", "4", "--dp-size", "2", "--error-rate", "0.25", "--error-status", "502", "--slow-ms", "10", "--hang",
        "--die-after", "7", "--die-mid-stream-after-tokens", "3", "--unavailable-retry-after-secs", "9",
        "--unhealthy");

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isZero();
    assertThat(config.models()).containsExactly("a", "b");
    assertThat(config.prefillBaseMs()).isEqualTo(5.0);
    assertThat(config.prefillTokensPerSecond()).isEqualTo(2000.0);
    assertThat(config.decodeMs()).isEqualTo(0.5);
    assertThat(config.maxRunning()).isEqualTo(8);
    assertThat(config.blockSize()).isEqualTo(32);
    assertThat(config.kvTokens()).isEqualTo(4096);
    assertThat(config.maxModelLen()).isEqualTo(2048);
    assertThat(config.ioThreads()).isEqualTo(3);
    assertThat(config.recentRequests()).isEqualTo(4);
    assertThat(config.dpSize()).isEqualTo(2);
    assertThat(config.faults()).isEqualTo(new FaultSettings(0.25, 502, 10, true, 7, 3, 9, true));
  }

  @Test
  void fastRemovesAllSimulatedComputeTime() {
    SimEngineConfig config = parse("--fast", "--decode-ms", "3");

    assertThat(config.prefillBaseMs()).isZero();
    assertThat(config.prefillTokensPerSecond()).isZero();
    assertThat(config.decodeMs()).isZero();
  }

  private static SimEngineConfig parse(String... args) {
    SimEngineMain main = new SimEngineMain();
    new CommandLine(main).parseArgs(args);
    return main.toConfig();
  }
}
