package dev.shepherd.sim;

import java.util.concurrent.TimeUnit;

/**
 * The engine's compute-time model: time to first token = base + uncached prompt tokens / prefill speed
 * (+ the slow fault), then one decode step per output token.
 */
final class EngineTiming {

  private final long prefillBaseNanos;
  private final double prefillTokensPerSecond;
  private final long decodeStepNanos;

  EngineTiming(SimEngineConfig config) {
    this.prefillBaseNanos = millisToNanos(config.prefillBaseMs());
    this.prefillTokensPerSecond = config.prefillTokensPerSecond();
    this.decodeStepNanos = millisToNanos(config.decodeMs());
  }

  long timeToFirstTokenNanos(int uncachedPromptTokens, long slowMs) {
    long prefill = prefillTokensPerSecond == 0
        ? 0
        : (long) (uncachedPromptTokens * 1e9 / prefillTokensPerSecond);
    return prefillBaseNanos + prefill + TimeUnit.MILLISECONDS.toNanos(slowMs);
  }

  long decodeStepNanos() {
    return decodeStepNanos;
  }

  private static long millisToNanos(double millis) {
    return (long) (millis * 1_000_000);
  }
}
