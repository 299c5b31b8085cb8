package dev.shepherd.sim;

/**
 * The faults a simulated engine injects, as one immutable value. All zero/false ({@link #NONE}) means a
 * healthy engine. Read once per request, so a request sees one consistent set of faults even while a
 * test changes them.
 *
 * @param errorRate fraction of inference requests (0..1) answered with {@code errorStatus} and an
 *     OpenAI-shaped error body instead of a generation
 * @param errorStatus the HTTP status of injected errors (400..599, default 500)
 * @param slowMs extra delay before the first byte of every generation
 * @param hang accept inference requests and never answer them until hang is switched off (or the
 *     faults reset), when they proceed normally
 * @param dieAfter after this many inference requests (counted from when it was set) the engine
 *     crashes: it closes its listener and drops every open connection; 0 = never
 * @param dieMidStreamAfterTokens streams are cut (connection closed abruptly, no terminating chunk)
 *     after this many decode steps; 0 = never. With {@code dieAfter} set, only request N's stream is
 *     cut, and the engine crashes right then; otherwise every stream is cut and the engine stays up
 * @param unavailableRetryAfterSecs when positive, inference requests get 503 with
 *     {@code Retry-After: <secs>}, as an overloaded or warming-up engine answers
 * @param unhealthy health endpoints answer 503
 */
public record FaultSettings(
    double errorRate,
    int errorStatus,
    long slowMs,
    boolean hang,
    int dieAfter,
    int dieMidStreamAfterTokens,
    int unavailableRetryAfterSecs,
    boolean unhealthy) {

  /** A healthy engine. */
  public static final FaultSettings NONE = new FaultSettings(0.0, 500, 0, false, 0, 0, 0, false);

  public FaultSettings {
    if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
      throw new IllegalArgumentException("error_rate must be within [0, 1], got " + errorRate);
    }
    if (errorStatus < 400 || errorStatus > 599) {
      throw new IllegalArgumentException("error_status must be a 4xx or 5xx status, got " + errorStatus);
    }
    requireNonNegative("slow_ms", slowMs);
    requireNonNegative("die_after", dieAfter);
    requireNonNegative("die_mid_stream_after_tokens", dieMidStreamAfterTokens);
    requireNonNegative("unavailable_retry_after_secs", unavailableRetryAfterSecs);
  }

  /** False when no fault is active, so the request path can skip every fault check at once. */
  public boolean hasAnyFault() {
    return errorRate > 0.0 || slowMs > 0 || hang || dieAfter > 0
        || dieMidStreamAfterTokens > 0 || unavailableRetryAfterSecs > 0 || unhealthy;
  }

  public FaultSettings withErrorRate(double value) {
    return new FaultSettings(value, errorStatus, slowMs, hang, dieAfter, dieMidStreamAfterTokens,
        unavailableRetryAfterSecs, unhealthy);
  }

  public FaultSettings withErrorStatus(int value) {
    return new FaultSettings(errorRate, value, slowMs, hang, dieAfter, dieMidStreamAfterTokens,
        unavailableRetryAfterSecs, unhealthy);
  }

  public FaultSettings withSlowMs(long value) {
    return new FaultSettings(errorRate, errorStatus, value, hang, dieAfter, dieMidStreamAfterTokens,
        unavailableRetryAfterSecs, unhealthy);
  }

  public FaultSettings withHang(boolean value) {
    return new FaultSettings(errorRate, errorStatus, slowMs, value, dieAfter, dieMidStreamAfterTokens,
        unavailableRetryAfterSecs, unhealthy);
  }

  public FaultSettings withDieAfter(int value) {
    return new FaultSettings(errorRate, errorStatus, slowMs, hang, value, dieMidStreamAfterTokens,
        unavailableRetryAfterSecs, unhealthy);
  }

  public FaultSettings withDieMidStreamAfterTokens(int value) {
    return new FaultSettings(errorRate, errorStatus, slowMs, hang, dieAfter, value,
        unavailableRetryAfterSecs, unhealthy);
  }

  public FaultSettings withUnavailableRetryAfterSecs(int value) {
    return new FaultSettings(errorRate, errorStatus, slowMs, hang, dieAfter, dieMidStreamAfterTokens,
        value, unhealthy);
  }

  public FaultSettings withUnhealthy(boolean value) {
    return new FaultSettings(errorRate, errorStatus, slowMs, hang, dieAfter, dieMidStreamAfterTokens,
        unavailableRetryAfterSecs, value);
  }

  private static void requireNonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }
}
