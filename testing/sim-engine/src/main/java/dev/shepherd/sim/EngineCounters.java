package dev.shepherd.sim;

import java.util.concurrent.atomic.LongAdder;

/** Cumulative request and token counts behind the Prometheus counters. */
final class EngineCounters {

  final LongAdder finishedByLength = new LongAdder();
  final LongAdder finishedByStop = new LongAdder();
  final LongAdder aborted = new LongAdder();
  final LongAdder promptTokens = new LongAdder();
  final LongAdder generationTokens = new LongAdder();
  final LongAdder injectedErrors = new LongAdder();

  void recordFinished(SequenceOutput sequence) {
    (SequenceOutput.FINISH_STOP.equals(sequence.finishReason()) ? finishedByStop : finishedByLength).increment();
    promptTokens.add(sequence.promptTokenCount());
    generationTokens.add(sequence.completionTokens());
  }
}
