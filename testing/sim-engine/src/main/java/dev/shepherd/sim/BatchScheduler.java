package dev.shepherd.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The continuous-batching admission of an engine: at most {@code maxRunning} requests run at once and
 * their reserved KV tokens stay within the KV budget; the rest wait in arrival order (FIFO, no
 * overtaking) until a running request finishes. A request larger than the whole budget still runs
 * alone rather than waiting forever.
 *
 * <p>Thread-safe. The lock only guards counters and the queue; jobs are started outside it.
 */
final class BatchScheduler {

  /** A request that needs a batch slot. */
  interface Job {
    /** KV tokens held while running. */
    long reservedTokens();

    /** Called once, on the submitting thread, when the job gets its slot at once. */
    void admitted();

    /**
     * Called once, on the thread of the job that freed the slot, when a queued job gets its slot. The
     * job must start elsewhere (on its own thread's queue): starting inline would nest one job inside
     * another, and a long queue of instant jobs would nest deep.
     */
    void admittedFromQueue();
  }

  private final int maxRunning;
  private final long kvTokens;
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private int running;
  private long usedTokens;

  BatchScheduler(int maxRunning, long kvTokens) {
    this.maxRunning = maxRunning;
    this.kvTokens = kvTokens;
  }

  /** Admits the job now (calling {@link Job#admitted()} on this thread) or queues it. */
  void submit(Job job) {
    boolean admitted;
    synchronized (this) {
      admitted = waiting.isEmpty() && fits(job);
      if (admitted) {
        occupy(job);
      } else {
        waiting.addLast(job);
      }
    }
    if (admitted) {
      job.admitted();
    }
  }

  /** Frees the job's slot and admits waiting jobs that now fit. Call exactly once per admitted job. */
  void finish(Job job) {
    List<Job> admitted = null;
    synchronized (this) {
      running--;
      usedTokens -= job.reservedTokens();
      while (!waiting.isEmpty() && fits(waiting.peekFirst())) {
        Job next = waiting.pollFirst();
        occupy(next);
        if (admitted == null) {
          admitted = new ArrayList<>(2);
        }
        admitted.add(next);
      }
    }
    if (admitted != null) {
      admitted.forEach(Job::admittedFromQueue);
    }
  }

  synchronized EngineLoad load() {
    return new EngineLoad(running, waiting.size(), usedTokens, Math.min(1.0, (double) usedTokens / kvTokens));
  }

  private boolean fits(Job job) {
    return running < maxRunning && (running == 0 || usedTokens + job.reservedTokens() <= kvTokens);
  }

  private void occupy(Job job) {
    running++;
    usedTokens += job.reservedTokens();
  }
}
