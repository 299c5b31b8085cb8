package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FaultsTest {

  private static final String CHAT = SimHttp.chat("sim-model", "hello", 2, false);

  @Test
  void errorRateOneAnswersEveryRequestWithTheConfiguredStatus() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults())) {
      SimHttp http = new SimHttp(engine);
      engine.faults().errorRate(1.0).errorStatus(502);

      HttpResponse<String> response = http.post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(502);
      JsonNode error = SimHttp.json(response.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("server_error");
      assertThat(error.get("code").asText()).isEqualTo("sim_injected_error");
      assertThat(http.get("/health").statusCode()).as("health is not an inference route").isEqualTo(200);

      engine.faults().reset();
      assertThat(http.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void unavailableAnswers503WithRetryAfter() throws Exception {
    SimEngineConfig config = SimEngineConfig.defaults()
        .withFaults(FaultSettings.NONE.withUnavailableRetryAfterSecs(7));
    try (SimEngine engine = SimEngine.start(config)) {
      HttpResponse<String> response = new SimHttp(engine).post("/generate", "{\"text\":\"hi\"}");

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("retry-after")).hasValue("7");
      assertThat(SimHttp.json(response.body()).at("/error/code").asText()).isEqualTo("service_unavailable");
    }
  }

  @Test
  void unhealthyEngineFailsHealthChecks() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults())) {
      SimHttp http = new SimHttp(engine);
      assertThat(http.get("/health").statusCode()).isEqualTo(200);

      engine.faults().unhealthy(true);
      assertThat(http.get("/health").statusCode()).isEqualTo(503);
      assertThat(http.get("/health_generate").statusCode()).isEqualTo(503);

      engine.faults().unhealthy(false);
      assertThat(http.get("/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void hangingEngineNeverAnswersUntilHangIsSwitchedOff() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults())) {
      SimHttp http = new SimHttp(engine);
      engine.faults().hang(true);

      assertThatThrownBy(() -> http.client().send(
          http.postRequest("/v1/chat/completions", CHAT).timeout(Duration.ofMillis(300)).build(),
          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(HttpTimeoutException.class);

      CompletableFuture<HttpResponse<String>> held = http.client().sendAsync(
          http.postRequest("/v1/chat/completions", CHAT).build(), HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(engine.stats().requests("/v1/chat/completions")).isEqualTo(2);
        assertThat(SimHttp.json(http.get("/sim/stats").body()).get("held_requests").asInt()).isPositive();
      });
      assertThat(http.get("/health").statusCode()).as("IO threads stay free").isEqualTo(200);
      assertThat(held).isNotDone();

      engine.faults().hang(false);

      assertThat(held.get().statusCode()).isEqualTo(200);
    }
  }

  @Test
  void slowFaultDelaysTheAnswerButStillAnswers() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults().withoutDelays())) {
      engine.faults().slowMs(50);
      assertThat(new SimHttp(engine).post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void dieAfterServesNRequestsThenClosesThePort() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults())) {
      SimHttp http = new SimHttp(engine);
      engine.faults().dieAfter(2);

      assertThat(http.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
      assertThat(http.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThatThrownBy(() -> connect(engine.port())).isInstanceOf(ConnectException.class));
      assertThat(engine.hasCrashed()).isTrue();
      assertThat(engine.isAlive()).isFalse();
    }
  }

  @Test
  void crashDropsOpenStreams() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults().withDecodeMs(20))) {
      SimHttp http = new SimHttp(engine);
      engine.faults().dieAfter(1);
      HttpResponse<InputStream> stream = http.client().send(http.postRequest("/v1/chat/completions",
              SimHttp.chat("sim-model", "a long story", 500, true)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
      assertThat(events.readLine()).startsWith("data: ");

      // request 2 of die_after=1: the engine crashes and takes the open stream with it
      assertThatThrownBy(() -> http.post("/v1/chat/completions", CHAT)).isInstanceOf(IOException.class);

      assertThat(readUntilEnd(events)).doesNotContain("data: [DONE]");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThatThrownBy(() -> connect(engine.port())).isInstanceOf(ConnectException.class));
    }
  }

  @Test
  void dieMidStreamCutsTheStreamAfterKTokens() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults())) {
      SimHttp http = new SimHttp(engine);
      engine.faults().dieMidStreamAfterTokens(3);
      HttpResponse<InputStream> stream = http.client().send(http.postRequest("/v1/chat/completions",
              SimHttp.chat("sim-model", "cut me", 10, true)).build(),
          HttpResponse.BodyHandlers.ofInputStream());

      List<String> lines = readUntilEnd(new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8)));

      List<String> contentEvents = lines.stream().filter(line -> line.contains("\"content\":\"")).toList();
      assertThat(contentEvents).hasSize(1 + 3); // the role chunk's empty content, then three tokens
      assertThat(lines).doesNotContain("data: [DONE]");
      assertThat(engine.isAlive()).as("cutting a stream alone does not crash the engine").isTrue();
      assertThat(http.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void dieAfterWithDieMidStreamCrashesInTheMiddleOfTheLastStream() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults())) {
      SimHttp http = new SimHttp(engine);
      engine.faults().dieAfter(2).dieMidStreamAfterTokens(3);
      String stream = SimHttp.chat("sim-model", "stream twice", 6, true);

      assertThat(SimHttp.sseData(http.post("/v1/chat/completions", stream).body())).last().isEqualTo("[DONE]");
      HttpResponse<InputStream> last = http.client().send(http.postRequest("/v1/chat/completions", stream).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      List<String> lines = readUntilEnd(new BufferedReader(new InputStreamReader(last.body(), StandardCharsets.UTF_8)));

      assertThat(lines.stream().filter(line -> line.contains("\"content\":\"")).count()).isEqualTo(1 + 3);
      assertThat(lines).doesNotContain("data: [DONE]");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThatThrownBy(() -> connect(engine.port())).isInstanceOf(ConnectException.class));
      assertThat(engine.hasCrashed()).isTrue();
    }
  }

  @Test
  void faultsAreControllableOverHttp() throws Exception {
    try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults())) {
      SimHttp http = new SimHttp(engine);

      JsonNode set = http.postOk("/sim/faults", "{\"error_rate\":1.0,\"error_status\":429}");
      assertThat(set.get("error_rate").asDouble()).isEqualTo(1.0);
      assertThat(engine.faults().current().errorStatus()).isEqualTo(429);
      assertThat(http.post("/v1/completions", "{\"prompt\":\"hi\"}").statusCode()).isEqualTo(429);
      assertThat(SimHttp.json(http.get("/sim/faults").body()).get("error_status").asInt()).isEqualTo(429);

      assertThat(http.post("/sim/faults", "{\"error_rat\":1}").statusCode()).isEqualTo(400);
      assertThat(http.post("/sim/faults", "{\"error_rate\":2}").statusCode()).isEqualTo(400);

      assertThat(http.post("/sim/reset", "").statusCode()).isEqualTo(200);
      assertThat(engine.faults().current()).isEqualTo(FaultSettings.NONE);
      assertThat(http.post("/v1/completions", "{\"prompt\":\"hi\"}").statusCode()).isEqualTo(200);
      JsonNode stats = SimHttp.json(http.get("/sim/stats").body());
      assertThat(stats.at("/requests_by_route/~1v1~1completions").asInt()).isEqualTo(1);
      assertThat(stats.get("recent_requests")).hasSize(1);
    }
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    }
  }

  /** Reads lines until the server ends or drops the stream. */
  private static List<String> readUntilEnd(BufferedReader reader) {
    List<String> lines = new ArrayList<>();
    try {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException dropped) {
      // an abruptly closed stream ends here
    }
    return lines;
  }
}
