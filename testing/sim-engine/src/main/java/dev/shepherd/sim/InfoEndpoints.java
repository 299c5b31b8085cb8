package dev.shepherd.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Map;

/**
 * The engine's non-inference surface as vLLM and SGLang expose it: health, models, model and server
 * info, load, cache flush and Prometheus metrics. Answered inline on the IO thread.
 */
final class InfoEndpoints {

  static final String ENGINE_NAME = "shepherd-sim";

  private final EngineRuntime engine;

  InfoEndpoints(EngineRuntime engine) {
    this.engine = engine;
  }

  /** {@code GET /health} and {@code /health_generate}: empty 200, or 503 under the unhealthy fault. */
  void health(HttpServerExchange exchange, byte[] body) {
    if (engine.faults().current().unhealthy()) {
      HttpReplies.error(exchange, new ApiError(503, "server_error", "unhealthy",
          "The simulated engine is unhealthy.", null));
    } else {
      HttpReplies.empty(exchange, 200);
    }
  }

  /** {@code GET /v1/models}. */
  void models(HttpServerExchange exchange, byte[] body) {
    HttpReplies.json(exchange, 200, json -> {
      json.writeStartObject();
      json.writeStringField("object", "list");
      json.writeArrayFieldStart("data");
      for (String id : engine.models().ids()) {
        json.writeStartObject();
        json.writeStringField("id", id);
        json.writeStringField("object", "model");
        json.writeNumberField("created", engine.startedEpochSeconds());
        json.writeStringField("owned_by", ENGINE_NAME);
        json.writeStringField("root", id);
        json.writeNumberField("max_model_len", engine.config().maxModelLen());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  /** {@code GET /get_model_info} (SGLang). */
  void modelInfo(HttpServerExchange exchange, byte[] body) {
    HttpReplies.json(exchange, 200, json -> {
      json.writeStartObject();
      json.writeStringField("model_path", engine.models().primary());
      json.writeStringField("tokenizer_path", engine.models().primary());
      json.writeBooleanField("is_generation", true);
      json.writeFieldName("served_model_names");
      writeStringArray(json, engine.models().ids());
      json.writeEndObject();
    });
  }

  /** {@code GET /get_server_info} (SGLang): the configuration, with SGLang's names where it has them. */
  void serverInfo(HttpServerExchange exchange, byte[] body) {
    SimEngineConfig config = engine.config();
    HttpReplies.json(exchange, 200, json -> {
      json.writeStartObject();
      json.writeStringField("engine", ENGINE_NAME);
      json.writeStringField("model_path", config.primaryModel());
      json.writeFieldName("served_model_names");
      writeStringArray(json, config.models());
      json.writeStringField("host", config.host());
      json.writeNumberField("port", exchange.getHostPort());
      json.writeNumberField("max_running_requests", config.maxRunning());
      json.writeNumberField("max_total_num_tokens", config.kvTokens());
      json.writeNumberField("page_size", config.blockSize());
      json.writeNumberField("context_length", config.maxModelLen());
      json.writeNumberField("prefill_base_ms", config.prefillBaseMs());
      json.writeNumberField("prefill_tps", config.prefillTokensPerSecond());
      json.writeNumberField("decode_ms", config.decodeMs());
      json.writeNumberField("dp_size", config.dpSize());
      json.writeFieldName("faults");
      SimControlEndpoints.writeFaults(json, engine.faults().current());
      json.writeEndObject();
    });
  }

  /** {@code GET /get_load}. */
  void load(HttpServerExchange exchange, byte[] body) {
    EngineLoad load = engine.scheduler().load();
    HttpReplies.json(exchange, 200, json -> {
      json.writeStartObject();
      json.writeNumberField("num_running_reqs", load.runningRequests());
      json.writeNumberField("num_waiting_reqs", load.waitingRequests());
      json.writeNumberField("num_used_tokens", load.usedTokens());
      json.writeNumberField("kv_cache_usage", load.kvCacheUsage());
      json.writeEndObject();
    });
  }

  /** {@code POST /flush_cache}: empties the prefix cache. */
  void flushCache(HttpServerExchange exchange, byte[] body) {
    engine.prefixCache().clear();
    HttpReplies.text(exchange, 200, "text/plain; charset=utf-8", "Cache flushed.\n");
  }

  /** {@code GET /metrics}: vLLM's metric names plus SGLang's load gauges and the sim's own counters. */
  void metrics(HttpServerExchange exchange, byte[] body) {
    EngineLoad load = engine.scheduler().load();
    EngineCounters counters = engine.counters();
    PrefixCache cache = engine.prefixCache();
    PrometheusText text = new PrometheusText(engine.models().primary())
        .gauge("vllm:num_requests_running", "Number of requests in the running batch.", load.runningRequests())
        .gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", load.waitingRequests())
        .gauge("vllm:gpu_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", load.kvCacheUsage())
        .gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", load.kvCacheUsage())
        .counter("vllm:prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.",
            cache.lookedUpTokens())
        .counter("vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.",
            cache.hitTokens())
        .counter("vllm:request_success_total", "Count of successfully processed requests.", "finished_reason",
            new String[] {SequenceOutput.FINISH_LENGTH, SequenceOutput.FINISH_STOP},
            new double[] {counters.finishedByLength.sum(), counters.finishedByStop.sum()})
        .counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.", counters.promptTokens.sum())
        .counter("vllm:generation_tokens_total", "Number of generation tokens processed.",
            counters.generationTokens.sum())
        .gauge("sglang:num_running_reqs", "The number of running requests.", load.runningRequests())
        .gauge("sglang:num_queue_reqs", "The number of requests in the waiting queue.", load.waitingRequests())
        .gauge("sglang:num_used_tokens", "The number of used KV tokens.", load.usedTokens())
        .gauge("sglang:token_usage", "The token usage.", load.kvCacheUsage())
        .gauge("shepherd_sim_prefix_cache_tokens", "Tokens held in the simulated prefix cache.", cache.cachedTokens())
        .counter("shepherd_sim_aborted_requests_total", "Generations cut short (client gone or a fault).",
            counters.aborted.sum())
        .counter("shepherd_sim_injected_errors_total", "Requests answered with an injected error status.",
            counters.injectedErrors.sum());
    Map<String, Long> byRoute = engine.stats().requestsByRoute();
    text.counter("shepherd_sim_http_requests_total", "HTTP requests received, by route.", "route",
        byRoute.keySet().toArray(String[]::new),
        byRoute.values().stream().mapToDouble(Long::doubleValue).toArray());
    HttpReplies.text(exchange, 200, PrometheusText.CONTENT_TYPE, text.toString());
  }

  private static void writeStringArray(JsonGenerator json, Iterable<String> values) throws IOException {
    json.writeStartArray();
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
