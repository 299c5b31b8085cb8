package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InfoEndpointsTest {

  private static SimEngine engine;
  private static SimHttp http;

  @BeforeAll
  static void startEngine() {
    engine = SimEngine.start(SimEngineConfig.builder().models("alpha", "beta").maxModelLen(4096).build());
    http = new SimHttp(engine);
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @Test
  void urlIsLoopbackWithTheBoundPort() {
    assertThat(engine.port()).isPositive();
    assertThat(engine.url()).isEqualTo("http://127.0.0.1:" + engine.port());
  }

  @Test
  void listsServedModels() throws Exception {
    JsonNode models = SimHttp.json(http.get("/v1/models").body());

    assertThat(models.get("object").asText()).isEqualTo("list");
    assertThat(models.get("data")).hasSize(2);
    JsonNode alpha = models.at("/data/0");
    assertThat(alpha.get("id").asText()).isEqualTo("alpha");
    assertThat(alpha.get("object").asText()).isEqualTo("model");
    assertThat(alpha.get("owned_by").asText()).isEqualTo("shepherd-sim");
    assertThat(alpha.get("max_model_len").asInt()).isEqualTo(4096);
    assertThat(alpha.get("created").asLong()).isPositive();
  }

  @Test
  void oneEngineAnswersUnderManyWorkerAliases() throws Exception {
    JsonNode models = SimHttp.json(http.get("/w/worker-17/v1/models").body());

    assertThat(models.at("/data/0/id").asText()).isEqualTo("alpha");
    assertThat(http.get("/w/3/health").statusCode()).isEqualTo(200);
    assertThat(SimHttpHandler.withoutWorkerAlias("/w/9")).isEqualTo("/");
    assertThat(SimHttpHandler.withoutWorkerAlias("/v1/models")).isEqualTo("/v1/models");
  }

  @Test
  void describesModelAndServer() throws Exception {
    JsonNode modelInfo = SimHttp.json(http.get("/get_model_info").body());
    assertThat(modelInfo.get("model_path").asText()).isEqualTo("alpha");
    assertThat(modelInfo.get("tokenizer_path").asText()).isEqualTo("alpha");
    assertThat(modelInfo.get("is_generation").asBoolean()).isTrue();

    JsonNode serverInfo = SimHttp.json(http.get("/get_server_info").body());
    assertThat(serverInfo.get("port").asInt()).isEqualTo(engine.port());
    assertThat(serverInfo.get("max_running_requests").asInt()).isEqualTo(SimEngineConfig.DEFAULT_MAX_RUNNING);
    assertThat(serverInfo.get("page_size").asInt()).isEqualTo(SimEngineConfig.DEFAULT_BLOCK_SIZE);
    assertThat(serverInfo.at("/faults/error_rate").asDouble()).isZero();
    assertThat(serverInfo.get("dp_size").asInt()).isEqualTo(1);
  }

  @Test
  void reportsItsDataParallelSize() throws Exception {
    try (SimEngine dp = SimEngine.start(SimEngineConfig.defaults().withDpSize(4))) {
      JsonNode serverInfo = SimHttp.json(new SimHttp(dp).get("/get_server_info").body());

      assertThat(serverInfo.get("dp_size").asInt()).isEqualTo(4);
    }
  }

  @Test
  void reportsLoad() throws Exception {
    JsonNode load = SimHttp.json(http.get("/get_load").body());
    assertThat(load.fieldNames()).toIterable()
        .containsExactly("num_running_reqs", "num_waiting_reqs", "num_used_tokens", "kv_cache_usage");
  }

  @Test
  void healthAnswers200() throws Exception {
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
    assertThat(http.get("/health_generate").statusCode()).isEqualTo(200);
  }

  @Test
  void exposesVllmStyleMetrics() throws Exception {
    String repeated = SimHttp.chat("alpha", "a prompt repeated to produce prefix cache hits in the metrics of "
        + "this engine, long enough for a block", 2, false);
    http.postOk("/v1/chat/completions", repeated);
    http.postOk("/v1/chat/completions", repeated);

    HttpResponse<String> response = http.get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).contains(
        "# TYPE vllm:num_requests_running gauge",
        "vllm:num_requests_running{model_name=\"alpha\"} ",
        "vllm:num_requests_waiting{model_name=\"alpha\"} ",
        "vllm:gpu_cache_usage_perc{model_name=\"alpha\"} ",
        "# TYPE vllm:prefix_cache_queries_total counter",
        "vllm:prefix_cache_queries_total{model_name=\"alpha\"} ",
        "vllm:prefix_cache_hits_total{model_name=\"alpha\"} ",
        "vllm:request_success_total{model_name=\"alpha\",finished_reason=\"length\"} ",
        "vllm:prompt_tokens_total{model_name=\"alpha\"} ",
        "vllm:generation_tokens_total{model_name=\"alpha\"} ",
        "shepherd_sim_http_requests_total{model_name=\"alpha\",route=\"/v1/chat/completions\"} ");
    assertThat(response.body()).doesNotContain("vllm:prefix_cache_hits_total{model_name=\"alpha\"} 0.0");
  }
}
