package dev.shepherd.sim;

import io.undertow.server.HttpServerExchange;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, per inference request, which fault (if any) it meets, and holds the requests the hang
 * fault keeps unanswered. Holding costs no thread: a held request is only a queued exchange, released
 * onto its own IO thread when hang is switched off.
 */
final class FaultInjector implements SimFaults.ChangeListener {

  /** What happens to a request. */
  enum Verdict { PROCEED, DIE_NOW, HANG, UNAVAILABLE, ERROR }

  /**
   * @param settings the fault settings the request was judged by (it keeps them to the end)
   * @param lastBeforeDeath the engine dies once this request completes (it is request N of die_after)
   */
  record Decision(Verdict verdict, FaultSettings settings, boolean lastBeforeDeath) {
  }

  private record HeldRequest(HttpServerExchange exchange, Runnable resume) {
  }

  private final AtomicLong requestsSinceDieArmed = new AtomicLong();
  private final ConcurrentLinkedQueue<HeldRequest> held = new ConcurrentLinkedQueue<>();
  private volatile SimFaults faults;

  void attach(SimFaults faults) {
    this.faults = faults;
  }

  Decision decide() {
    FaultSettings settings = faults.current();
    if (!settings.hasAnyFault()) {
      return new Decision(Verdict.PROCEED, settings, false);
    }
    boolean lastBeforeDeath = false;
    if (settings.dieAfter() > 0) {
      long arrival = requestsSinceDieArmed.incrementAndGet();
      if (arrival > settings.dieAfter()) {
        return new Decision(Verdict.DIE_NOW, settings, false);
      }
      lastBeforeDeath = arrival == settings.dieAfter();
    }
    Verdict verdict;
    if (settings.hang()) {
      verdict = Verdict.HANG;
    } else if (settings.unavailableRetryAfterSecs() > 0) {
      verdict = Verdict.UNAVAILABLE;
    } else if (settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
      verdict = Verdict.ERROR;
    } else {
      verdict = Verdict.PROCEED;
    }
    return new Decision(verdict, settings, lastBeforeDeath);
  }

  /** Keeps the request unanswered until hang is switched off; then {@code resume} runs on its IO thread. */
  void hold(HttpServerExchange exchange, Runnable resume) {
    HeldRequest request = new HeldRequest(exchange, resume);
    held.add(request);
    exchange.getConnection().addCloseListener(connection -> held.remove(request));
    // hang may have been switched off between decide() and add(): do not strand the request
    if (!faults.current().hang()) {
      releaseHeld();
    }
  }

  int heldRequests() {
    return held.size();
  }

  @Override
  public void faultsChanged(FaultSettings before, FaultSettings after) {
    if (before.dieAfter() != after.dieAfter()) {
      requestsSinceDieArmed.set(0);
    }
    if (!after.hang()) {
      releaseHeld();
    }
  }

  private void releaseHeld() {
    HeldRequest request;
    while ((request = held.poll()) != null) {
      try {
        request.exchange().getIoThread().execute(request.resume());
      } catch (RejectedExecutionException e) {
        // the engine is shutting down and drops the connection anyway
      }
    }
  }
}
