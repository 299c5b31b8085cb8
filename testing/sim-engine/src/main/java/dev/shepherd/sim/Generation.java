package dev.shepherd.sim;

import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One generation request from batch admission to its last byte. When admitted it looks its prompts up
 * in the prefix cache and decides the whole output at once (generation is deterministic); what is left
 * to simulate is time. A non-streaming answer is sent by one timer at time-to-first-token plus all
 * decode steps; a stream sends every step's events when that step is due.
 *
 * <p>Everything after admission runs on the exchange's IO thread, driven by that thread's timers
 * ({@code executeAfter}); nothing sleeps or blocks. Timers fire with millisecond resolution, so steps
 * shorter than that are sent together when due, keeping the average rate right.
 */
final class Generation implements BatchScheduler.Job {

  private static final Logger LOG = LoggerFactory.getLogger(Generation.class);

  private final EngineRuntime engine;
  private final HttpServerExchange exchange;
  private final GenerationRequest request;
  private final ResponseRenderer renderer;
  private final FaultSettings faults;
  private final boolean lastBeforeDeath;
  private final long reservedTokens;

  private GenerationResult result;
  private long firstStepBaseNanos;
  private long decodeStepNanos;
  private int totalSteps;
  private int lastStepToSend;
  private int stepsSent;
  private SseStream stream;
  private boolean finished;

  Generation(EngineRuntime engine, HttpServerExchange exchange, GenerationRequest request,
      ResponseRenderer renderer, FaultInjector.Decision faultDecision) {
    this.engine = engine;
    this.exchange = exchange;
    this.request = request;
    this.renderer = renderer;
    this.faults = faultDecision.settings();
    this.lastBeforeDeath = faultDecision.lastBeforeDeath();
    this.reservedTokens = request.totalPromptTokens() + (long) request.maxTokens() * request.prompts().size();
  }

  @Override
  public long reservedTokens() {
    return reservedTokens;
  }

  @Override
  public void admitted() {
    guarded(this::start);
  }

  @Override
  public void admittedFromQueue() {
    try {
      exchange.getIoThread().execute(() -> guarded(this::start));
    } catch (RejectedExecutionException e) {
      // the engine is shutting down; its connections close with it
      finish(false);
    }
  }

  private void start() {
    int uncached = 0;
    List<SequenceOutput> sequences = new ArrayList<>(request.prompts().size());
    for (int i = 0; i < request.prompts().size(); i++) {
      GenerationRequest.Prompt prompt = request.prompts().get(i);
      int cached = engine.prefixCache().matchAndInsert(prompt.tokens());
      uncached += prompt.tokens().length - cached;
      sequences.add(SequenceOutput.decode(i, prompt, cached, request.maxTokens(), request.stop()));
    }
    result = new GenerationResult(renderer.idPrefix() + Long.toHexString(ThreadLocalRandom.current().nextLong()),
        System.currentTimeMillis() / 1000, request.model(), request.includeUsage(), sequences);

    long timeToFirstToken = engine.timing().timeToFirstTokenNanos(uncached, faults.slowMs());
    decodeStepNanos = engine.timing().decodeStepNanos();
    // step s (1-based) completes at base + s * decode; the first token comes with step 1
    firstStepBaseNanos = System.nanoTime() + timeToFirstToken;
    totalSteps = result.steps();
    if (request.stream()) {
      // with die_after armed only its last request is cut (and crashes the engine); otherwise every stream
      int cut = faults.dieAfter() == 0 || lastBeforeDeath ? faults.dieMidStreamAfterTokens() : 0;
      lastStepToSend = cut > 0 && cut < totalSteps ? cut : totalSteps;
      stream = new SseStream(exchange);
      sendDueSteps();
    } else {
      runAt(stepDeadline(totalSteps), this::sendWholeResponse);
    }
  }

  private void sendWholeResponse() {
    byte[] body = JsonCodec.write(json -> renderer.writeBody(json, result));
    // finish first: a client that sends its next turn on receipt must find this one cached
    finish(true);
    HttpReplies.json(exchange, 200, body);
  }

  private void sendDueSteps() {
    if (finished) {
      return;
    }
    int due = Math.min(lastStepToSend, stepsDueAt(System.nanoTime()));
    if (due <= stepsSent) {
      runAt(stepDeadline(stepsSent + 1), this::sendDueSteps);
      return;
    }
    SseEvents events = new SseEvents();
    if (stepsSent == 0) {
      renderer.writeStreamStart(events, result);
    }
    for (int step = stepsSent + 1; step <= due; step++) {
      writeStep(events, step);
    }
    boolean complete = due == totalSteps;
    if (complete) {
      renderer.writeStreamEnd(events, result);
      // finish before the last bytes leave, as for a whole response
      finish(true);
    }
    int reached = due;
    stream.write(events.toByteBuffer(), () -> afterStepsSent(reached, complete), () -> finish(false));
  }

  private void afterStepsSent(int reached, boolean complete) {
    stepsSent = reached;
    if (complete) {
      stream.end();
    } else if (reached >= lastStepToSend) {
      LOG.info("Cutting stream {} after {} tokens (die_mid_stream_after_tokens)", result.id(), reached);
      stream.abort();
      finish(false);
      if (lastBeforeDeath) {
        // the request that was to be the engine's last: it crashes mid-stream
        engine.crash().run();
      }
    } else {
      sendDueSteps();
    }
  }

  private void writeStep(SseEvents events, int step) {
    for (SequenceOutput sequence : result.sequences()) {
      int token = step - 1 < sequence.completionTokens() ? step - 1 : -1;
      boolean finishing = step == sequence.steps();
      if (token >= 0 || finishing) {
        renderer.writeStreamStep(events, result, sequence, token, finishing);
      }
    }
  }

  private int stepsDueAt(long nowNanos) {
    long sinceFirstStepBase = nowNanos - firstStepBaseNanos;
    if (sinceFirstStepBase < 0) {
      return 0;
    }
    if (decodeStepNanos == 0) {
      return totalSteps;
    }
    return (int) Math.min(totalSteps, sinceFirstStepBase / decodeStepNanos);
  }

  private long stepDeadline(int step) {
    return firstStepBaseNanos + step * decodeStepNanos;
  }

  /** Runs the task now when its deadline has passed, else on this exchange's IO thread timer. */
  private void runAt(long deadlineNanos, Runnable task) {
    long delay = deadlineNanos - System.nanoTime();
    if (delay <= 0) {
      task.run();
      return;
    }
    long delayMillis = (delay + 999_999) / 1_000_000;
    try {
      exchange.getIoThread().executeAfter(() -> guarded(task), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the engine is shutting down; its connections close with it
      finish(false);
    }
  }

  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.error("Simulated generation failed", e);
      if (exchange.isResponseStarted()) {
        IoUtils.safeClose(exchange.getConnection());
      } else {
        HttpReplies.error(exchange, ApiError.internal("Simulated generation failed: " + e));
      }
      finish(false);
    }
  }

  /** Releases the batch slot once; a finished sequence's blocks (prompt and output) enter the cache. */
  private void finish(boolean success) {
    if (finished) {
      return;
    }
    finished = true;
    engine.scheduler().finish(this);
    if (!success) {
      engine.counters().aborted.increment();
      return;
    }
    int blockSize = engine.config().blockSize();
    for (SequenceOutput sequence : result.sequences()) {
      engine.counters().recordFinished(sequence);
      int prompt = sequence.promptTokenCount();
      if ((prompt + sequence.completionTokens()) / blockSize > prompt / blockSize) {
        int[] tokens = sequence.allTokens();
        engine.prefixCache().insert(tokens, tokens.length);
      }
    }
  }
}
