package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSchedulerTest {

  private final List<String> started = new ArrayList<>();

  private BatchScheduler.Job job(String name, long tokens) {
    return new BatchScheduler.Job() {
      @Override
      public long reservedTokens() {
        return tokens;
      }

      @Override
      public void admitted() {
        started.add(name);
      }

      @Override
      public void admittedFromQueue() {
        started.add(name);
      }
    };
  }

  @Test
  void queuesBeyondMaxRunningAndAdmitsInArrivalOrder() {
    BatchScheduler scheduler = new BatchScheduler(2, 1_000);
    BatchScheduler.Job a = job("a", 10);
    BatchScheduler.Job b = job("b", 10);
    scheduler.submit(a);
    scheduler.submit(b);
    scheduler.submit(job("c", 10));
    scheduler.submit(job("d", 10));

    assertThat(started).containsExactly("a", "b");
    assertThat(scheduler.load()).isEqualTo(new EngineLoad(2, 2, 20, 0.02));

    scheduler.finish(a);
    assertThat(started).containsExactly("a", "b", "c");
    scheduler.finish(b);
    assertThat(started).containsExactly("a", "b", "c", "d");
  }

  @Test
  void waitsForKvBudgetButRunsAnOversizedRequestAlone() {
    BatchScheduler scheduler = new BatchScheduler(10, 100);
    BatchScheduler.Job big = job("big", 80);
    scheduler.submit(big);
    scheduler.submit(job("medium", 30));
    assertThat(started).containsExactly("big");

    scheduler.finish(big);
    scheduler.submit(job("huge", 500));
    assertThat(started).containsExactly("big", "medium");
    assertThat(scheduler.load().waitingRequests()).isEqualTo(1);
  }
}
