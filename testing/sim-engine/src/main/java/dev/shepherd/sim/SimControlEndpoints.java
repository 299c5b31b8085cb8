package dev.shepherd.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's own control surface, for tests in other processes and for operators:
 * {@code GET|POST /sim/faults}, {@code POST /sim/reset}, {@code GET /sim/stats}.
 */
final class SimControlEndpoints {

  private static final Set<String> FAULT_FIELDS = Set.of("error_rate", "error_status", "slow_ms", "hang",
      "die_after", "die_mid_stream_after_tokens", "unavailable_retry_after_secs", "unhealthy");

  private final EngineRuntime engine;

  SimControlEndpoints(EngineRuntime engine) {
    this.engine = engine;
  }

  /** {@code GET /sim/faults}. */
  void faults(HttpServerExchange exchange, byte[] body) {
    HttpReplies.json(exchange, 200, json -> writeFaults(json, engine.faults().current()));
  }

  /** {@code POST /sim/faults}: sets the fields present, keeps the others; answers the new settings. */
  void updateFaults(HttpServerExchange exchange, byte[] body) {
    JsonNode changes = JsonCodec.parseObject(body);
    for (Iterator<String> names = changes.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FAULT_FIELDS.contains(name)) {
        throw ApiError.badRequest("Unknown fault '" + name + "'; known: " + FAULT_FIELDS + ".", name);
      }
    }
    FaultSettings current = engine.faults().current();
    FaultSettings updated;
    try {
      updated = new FaultSettings(
          RequestFields.optionalDouble(changes, "error_rate", current.errorRate()),
          RequestFields.optionalInt(changes, "error_status", current.errorStatus()),
          RequestFields.optionalLong(changes, "slow_ms", current.slowMs()),
          RequestFields.optionalBoolean(changes, "hang", current.hang()),
          RequestFields.optionalInt(changes, "die_after", current.dieAfter()),
          RequestFields.optionalInt(changes, "die_mid_stream_after_tokens", current.dieMidStreamAfterTokens()),
          RequestFields.optionalInt(changes, "unavailable_retry_after_secs", current.unavailableRetryAfterSecs()),
          RequestFields.optionalBoolean(changes, "unhealthy", current.unhealthy()));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    engine.faults().set(updated);
    HttpReplies.json(exchange, 200, json -> writeFaults(json, updated));
  }

  /** {@code POST /sim/reset}: no faults (held requests proceed) and empty stats. */
  void reset(HttpServerExchange exchange, byte[] body) {
    engine.faults().reset();
    engine.stats().reset();
    HttpReplies.json(exchange, 200, json -> {
      json.writeStartObject();
      json.writeStringField("status", "reset");
      json.writeEndObject();
    });
  }

  /** {@code GET /sim/stats}. */
  void stats(HttpServerExchange exchange, byte[] body) {
    SimStats stats = engine.stats();
    EngineLoad load = engine.scheduler().load();
    HttpReplies.json(exchange, 200, json -> {
      json.writeStartObject();
      json.writeNumberField("inference_requests", stats.inferenceRequests());
      json.writeObjectFieldStart("requests_by_route");
      for (Map.Entry<String, Long> route : stats.requestsByRoute().entrySet()) {
        json.writeNumberField(route.getKey(), route.getValue());
      }
      json.writeEndObject();
      json.writeNumberField("num_running_reqs", load.runningRequests());
      json.writeNumberField("num_waiting_reqs", load.waitingRequests());
      json.writeNumberField("held_requests", engine.faultInjector().heldRequests());
      json.writeArrayFieldStart("recent_requests");
      for (RecordedRequest request : stats.recentRequests()) {
        writeRequest(json, request);
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  static void writeFaults(JsonGenerator json, FaultSettings faults) throws IOException {
    json.writeStartObject();
    json.writeNumberField("error_rate", faults.errorRate());
    json.writeNumberField("error_status", faults.errorStatus());
    json.writeNumberField("slow_ms", faults.slowMs());
    json.writeBooleanField("hang", faults.hang());
    json.writeNumberField("die_after", faults.dieAfter());
    json.writeNumberField("die_mid_stream_after_tokens", faults.dieMidStreamAfterTokens());
    json.writeNumberField("unavailable_retry_after_secs", faults.unavailableRetryAfterSecs());
    json.writeBooleanField("unhealthy", faults.unhealthy());
    json.writeEndObject();
  }

  private static void writeRequest(JsonGenerator json, RecordedRequest request) throws IOException {
    json.writeStartObject();
    json.writeStringField("method", request.method());
    json.writeStringField("path", request.path());
    json.writeStringField("query", request.query());
    json.writeObjectFieldStart("headers");
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      json.writeArrayFieldStart(header.getKey());
      for (String value : header.getValue()) {
        json.writeString(value);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
    json.writeStringField("body", request.bodyText());
    json.writeNumberField("received_at_ms", request.receivedAtEpochMillis());
    json.writeEndObject();
  }
}
