package dev.shepherd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small HTTP/1.1 client for tests against one engine, with JSON and SSE helpers. */
final class SimHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final String baseUrl;

  SimHttp(SimEngine engine) {
    this(engine.url());
  }

  SimHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
    return client.send(postRequest(path, body, headers).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder postRequest(String path, String body, String... headers) {
    HttpRequest.Builder builder = request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
  }

  HttpClient client() {
    return client;
  }

  /** POSTs and parses a 200 JSON answer. */
  JsonNode postOk(String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = post(path, body);
    if (response.statusCode() != 200) {
      throw new AssertionError("expected 200 from " + path + " but got " + response.statusCode() + ": "
          + response.body());
    }
    return json(response.body());
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The payloads of the {@code data:} events of an SSE body, in order ({@code [DONE]} included). */
  static List<String> sseData(String body) {
    List<String> events = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (event.startsWith("data: ")) {
        events.add(event.substring("data: ".length()));
      } else if (!event.isBlank()) {
        throw new AssertionError("not an SSE data event: " + event);
      }
    }
    return events;
  }

  /** A chat body with one user message. */
  static String chat(String model, String userText, int maxTokens, boolean stream) {
    return """
        {"model":"%s","messages":[{"role":"user","content":%s}],"max_tokens":%d,"stream":%s}"""
        .formatted(model, quote(userText), maxTokens, stream);
  }

  static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
