package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchQueueTest {

  @Test
  void requestBeyondMaxRunningWaitsForTheRunningOneToFinish() throws Exception {
    SimEngineConfig config = SimEngineConfig.defaults().withMaxRunning(1).withDecodeMs(20);
    try (SimEngine engine = SimEngine.start(config)) {
      SimHttp http = new SimHttp(engine);
      CompletableFuture<HttpResponse<String>> first = sendAsync(http, SimHttp.chat("sim-model", "first", 40, false));
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.load().runningRequests() == 1);
      CompletableFuture<HttpResponse<String>> second = sendAsync(http, SimHttp.chat("sim-model", "second", 1, false));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        var load = SimHttp.json(http.get("/get_load").body());
        assertThat(load.get("num_waiting_reqs").asInt()).isEqualTo(1);
        assertThat(load.get("num_running_reqs").asInt()).isEqualTo(1);
        assertThat(load.get("num_used_tokens").asLong()).isPositive();
      });
      assertThat(second).isNotDone();

      assertThat(first.get().statusCode()).isEqualTo(200);
      assertThat(second.get().statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> engine.load().runningRequests() == 0);
      assertThat(engine.load().waitingRequests()).isZero();
    }
  }

  @Test
  void metricsReportRunningAndWaitingRequests() throws Exception {
    SimEngineConfig config = SimEngineConfig.defaults().withMaxRunning(1).withDecodeMs(20);
    try (SimEngine engine = SimEngine.start(config)) {
      SimHttp http = new SimHttp(engine);
      sendAsync(http, SimHttp.chat("sim-model", "first", 40, false));
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.load().runningRequests() == 1);
      sendAsync(http, SimHttp.chat("sim-model", "second", 40, false));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.get("/metrics").body())
          .contains("vllm:num_requests_running{model_name=\"sim-model\"} 1.0")
          .contains("vllm:num_requests_waiting{model_name=\"sim-model\"} 1.0"));
    }
  }

  @Test
  void manyConcurrentRequestsThroughASingleSlotAllComplete() {
    SimEngineConfig config = SimEngineConfig.defaults().withoutDelays().withMaxRunning(1);
    try (SimEngine engine = SimEngine.start(config)) {
      SimHttp http = new SimHttp(engine);
      List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 64)
          .mapToObj(i -> sendAsync(http, SimHttp.chat("sim-model", "request " + i, 2, i % 2 == 0)))
          .toList();

      assertThat(responses).allSatisfy(response -> assertThat(response.get().statusCode()).isEqualTo(200));
      assertThat(engine.load()).isEqualTo(new EngineLoad(0, 0, 0, 0.0));
    }
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(SimHttp http, String body) {
    return http.client().sendAsync(http.postRequest("/v1/chat/completions", body).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
