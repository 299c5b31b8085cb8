package dev.shepherd.sim;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Runtime fault control of one engine: the Java face of {@code POST /sim/faults}. Every setter swaps
 * the whole {@link FaultSettings} atomically, so requests never see half an update, and returns this
 * for chaining: {@code engine.faults().errorRate(1.0).errorStatus(502)}.
 *
 * <p>Switching {@code hang} off (or {@link #reset()}) lets requests held by the hang fault proceed;
 * setting {@code dieAfter} starts counting requests from that moment.
 */
public final class SimFaults {

  /** Told of each change so held requests and the die-after count follow the new settings. */
  interface ChangeListener {
    void faultsChanged(FaultSettings before, FaultSettings after);
  }

  private final AtomicReference<FaultSettings> current;
  private final ChangeListener listener;

  SimFaults(FaultSettings initial, ChangeListener listener) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    this.listener = listener;
  }

  /** The settings in force now. */
  public FaultSettings current() {
    return current.get();
  }

  /** Replaces all settings. */
  public SimFaults set(FaultSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return update(ignored -> settings);
  }

  /** Applies a change to the current settings atomically. */
  public SimFaults update(UnaryOperator<FaultSettings> change) {
    FaultSettings before;
    FaultSettings after;
    do {
      before = current.get();
      after = Objects.requireNonNull(change.apply(before), "changed settings");
    } while (!current.compareAndSet(before, after));
    if (!before.equals(after)) {
      listener.faultsChanged(before, after);
    }
    return this;
  }

  /** Back to a healthy engine ({@link FaultSettings#NONE}); held requests proceed. */
  public SimFaults reset() {
    return set(FaultSettings.NONE);
  }

  public SimFaults errorRate(double value) {
    return update(s -> s.withErrorRate(value));
  }

  public SimFaults errorStatus(int value) {
    return update(s -> s.withErrorStatus(value));
  }

  public SimFaults slowMs(long value) {
    return update(s -> s.withSlowMs(value));
  }

  public SimFaults hang(boolean value) {
    return update(s -> s.withHang(value));
  }

  public SimFaults dieAfter(int requests) {
    return update(s -> s.withDieAfter(requests));
  }

  public SimFaults dieMidStreamAfterTokens(int tokens) {
    return update(s -> s.withDieMidStreamAfterTokens(tokens));
  }

  public SimFaults unavailableRetryAfterSecs(int seconds) {
    return update(s -> s.withUnavailableRetryAfterSecs(seconds));
  }

  public SimFaults unhealthy(boolean value) {
    return update(s -> s.withUnhealthy(value));
  }

  @Override
  public String toString() {
    return "SimFaults" + current.get();
  }
}
