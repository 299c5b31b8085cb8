package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {

  private static SimEngine engine;
  private static SimHttp http;

  @BeforeAll
  static void startEngine() {
    engine = SimEngine.start(SimEngineConfig.defaults().withModels("sim-model", "other-model"));
    http = new SimHttp(engine);
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @Test
  void answersChatCompletionWithOpenAiShapeAndUsage() throws Exception {
    JsonNode response = http.postOk("/v1/chat/completions", SimHttp.chat("sim-model", unique("Hello"), 8, false));

    assertThat(response.get("id").asText()).startsWith("chatcmpl-");
    assertThat(response.get("object").asText()).isEqualTo("chat.completion");
    assertThat(response.get("created").asLong()).isPositive();
    assertThat(response.get("model").asText()).isEqualTo("sim-model");
    JsonNode choice = response.get("choices").get(0);
    assertThat(choice.get("index").asInt()).isZero();
    assertThat(choice.at("/message/role").asText()).isEqualTo("assistant");
    assertThat(choice.at("/message/content").asText().split(" ")).hasSize(8);
    assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
    JsonNode usage = response.get("usage");
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(8);
    assertThat(usage.get("prompt_tokens").asInt()).isPositive();
    assertThat(usage.get("total_tokens").asInt())
        .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").isInt()).isTrue();
  }

  @Test
  void servesEveryConfiguredModelAndDefaultsToTheFirst() throws Exception {
    assertThat(http.postOk("/v1/chat/completions", SimHttp.chat("other-model", "hi", 1, false))
        .get("model").asText()).isEqualTo("other-model");
    JsonNode noModel = http.postOk("/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}");
    assertThat(noModel.get("model").asText()).isEqualTo("sim-model");
  }

  @Test
  void defaultsToSixteenTokensAndHonoursMaxCompletionTokens() throws Exception {
    JsonNode byDefault = http.postOk("/v1/chat/completions",
        "{\"model\":\"sim-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(byDefault.at("/usage/completion_tokens").asInt()).isEqualTo(16);
    JsonNode newField = http.postOk("/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_completion_tokens\":3,\"max_tokens\":9}");
    assertThat(newField.at("/usage/completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void acceptsContentAsArrayOfTextParts() throws Exception {
    String asParts = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"},"
        + "{\"type\":\"text\",\"text\":\"world\"}]}],\"max_tokens\":4}";
    String asString = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\\nworld\"}],\"max_tokens\":4}";
    assertThat(http.postOk("/v1/chat/completions", asParts).at("/choices/0/message/content"))
        .isEqualTo(http.postOk("/v1/chat/completions", asString).at("/choices/0/message/content"));
  }

  @Test
  void streamsOneTokenPerEventThenFinishUsageAndDone() throws Exception {
    String body = """
        {"model":"sim-model","messages":[{"role":"user","content":%s}],"max_tokens":5,"stream":true,
         "stream_options":{"include_usage":true}}""".formatted(SimHttp.quote(unique("Stream me")));
    HttpResponse<String> response = http.post("/v1/chat/completions", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/event-stream"));
    List<String> events = SimHttp.sseData(response.body());
    assertThat(events).hasSize(1 + 5 + 1 + 1 + 1).last().isEqualTo("[DONE]");
    List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(SimHttp::json).toList();
    assertThat(chunks).allSatisfy(chunk -> {
      assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.get("id").asText()).isEqualTo(chunks.get(0).get("id").asText());
    });
    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    StringBuilder streamed = new StringBuilder();
    for (JsonNode tokenChunk : chunks.subList(1, 6)) {
      assertThat(tokenChunk.at("/choices/0/finish_reason").isNull()).isTrue();
      streamed.append(tokenChunk.at("/choices/0/delta/content").asText());
    }
    assertThat(streamed.toString().split(" ")).hasSize(5);
    assertThat(chunks.get(6).at("/choices/0/finish_reason").asText()).isEqualTo("length");
    JsonNode usageChunk = chunks.get(7);
    assertThat(usageChunk.get("choices")).isEmpty();
    assertThat(usageChunk.at("/usage/completion_tokens").asInt()).isEqualTo(5);

    JsonNode whole = http.postOk("/v1/chat/completions", body.replace("\"stream\":true", "\"stream\":false"));
    assertThat(whole.at("/choices/0/message/content").asText()).isEqualTo(streamed.toString());
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
    HttpResponse<String> response = http.post("/v1/chat/completions", SimHttp.chat("sim-model", "hi", 2, true));
    List<String> events = SimHttp.sseData(response.body());
    assertThat(events).hasSize(1 + 2 + 1 + 1);
    assertThat(events).noneMatch(event -> event.contains("\"usage\""));
  }

  @Test
  void generatesTheSameTextForTheSamePrompt() throws Exception {
    String body = SimHttp.chat("sim-model", unique("Determinism"), 12, false);
    assertThat(http.postOk("/v1/chat/completions", body).at("/choices/0/message/content"))
        .isEqualTo(http.postOk("/v1/chat/completions", body).at("/choices/0/message/content"));
  }

  @Test
  void continuingAPartialAssistantMessageProducesTheTokensThatWouldHaveFollowed() throws Exception {
    String user = SimHttp.quote(unique("Tell me a story"));
    JsonNode full = http.postOk("/v1/chat/completions", """
        {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":%s}],"max_tokens":8}"""
        .formatted(user));
    String[] words = full.at("/choices/0/message/content").asText().split(" ");
    assertThat(words).hasSize(8);
    String firstHalf = String.join(" ", Arrays.copyOfRange(words, 0, 4));

    JsonNode continued = http.postOk("/v1/chat/completions", """
        {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":%s},
                     {"role":"assistant","content":%s}],
         "max_tokens":4,"continue_final_message":true,"add_generation_prompt":false}"""
        .formatted(user, SimHttp.quote(firstHalf)));

    String continuation = continued.at("/choices/0/message/content").asText();
    assertThat(continuation).isEqualTo(" " + String.join(" ", Arrays.copyOfRange(words, 4, 8)));
    assertThat(firstHalf + continuation).isEqualTo(full.at("/choices/0/message/content").asText());
  }

  @Test
  void repeatedPromptIsServedFromThePrefixCache() throws Exception {
    String body = SimHttp.chat("sim-model", unique("A long enough prompt to fill a few blocks of sixteen tokens "
        + "each, so that the prefix cache has something to keep and report on the second request"), 1, false);
    JsonNode first = http.postOk("/v1/chat/completions", body);
    JsonNode second = http.postOk("/v1/chat/completions", body);

    int promptTokens = first.at("/usage/prompt_tokens").asInt();
    assertThat(first.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
    assertThat(second.at("/usage/prompt_tokens_details/cached_tokens").asInt())
        .isEqualTo((promptTokens - 1) / 16 * 16)
        .isPositive();
  }

  @Test
  void laterTurnOfAConversationHitsTheCacheOfTheEarlierTurn() throws Exception {
    String system = SimHttp.quote(unique("You are a patient assistant who answers questions about sheep"));
    String turn1 = """
        {"messages":[{"role":"system","content":%s},{"role":"user","content":"How many legs has a sheep?"}],
         "max_tokens":20}""".formatted(system);
    JsonNode first = http.postOk("/v1/chat/completions", turn1);
    String answer = first.at("/choices/0/message/content").asText();
    int turn1Prompt = first.at("/usage/prompt_tokens").asInt();

    JsonNode second = http.postOk("/v1/chat/completions", """
        {"messages":[{"role":"system","content":%s},{"role":"user","content":"How many legs has a sheep?"},
                     {"role":"assistant","content":%s},{"role":"user","content":"And a shepherd?"}],
         "max_tokens":4}""".formatted(system, SimHttp.quote(answer)));

    int cached = second.at("/usage/prompt_tokens_details/cached_tokens").asInt();
    assertThat(first.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
    // the whole first turn (prompt and answer) was cached when it finished
    assertThat(cached).isEqualTo((turn1Prompt + 20) / 16 * 16);
    assertThat(cached).isLessThan(second.at("/usage/prompt_tokens").asInt());
  }

  @Test
  void flushCacheForgetsCachedPrefixes() throws Exception {
    String body = SimHttp.chat("sim-model", unique("Cache me if you can, with enough words to fill two full "
        + "blocks of the prefix cache"), 1, false);
    http.postOk("/v1/chat/completions", body);
    assertThat(http.post("/flush_cache", "").statusCode()).isEqualTo(200);
    assertThat(http.postOk("/v1/chat/completions", body).at("/usage/prompt_tokens_details/cached_tokens").asInt())
        .isZero();
  }

  @Test
  void stopWordEndsTheAnswerWithFinishReasonStop() throws Exception {
    String body = SimHttp.chat("sim-model", unique("Stop words"), 12, false);
    String[] words = http.postOk("/v1/chat/completions", body).at("/choices/0/message/content").asText().split(" ");
    String stop = words[3];
    int firstStop = Arrays.asList(words).indexOf(stop);

    JsonNode stopped = http.postOk("/v1/chat/completions",
        body.replace("\"stream\":false", "\"stream\":false,\"stop\":[" + SimHttp.quote(stop) + "]"));

    assertThat(stopped.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(stopped.at("/choices/0/message/content").asText())
        .isEqualTo(String.join(" ", Arrays.copyOfRange(words, 0, firstStop)));
  }

  @Test
  void recordsForwardedHeadersAndBodyOfTheLastRequest() throws Exception {
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    String body = SimHttp.chat("sim-model", unique("headers"), 1, false);
    HttpResponse<String> response = http.post("/v1/chat/completions", body,
        "traceparent", traceparent, "x-request-id", "req-42");

    assertThat(response.headers().firstValue("x-request-id")).hasValue("req-42");
    RecordedRequest last = engine.stats().lastRequest("/v1/chat/completions").orElseThrow();
    assertThat(last.header("traceparent")).isEqualTo(traceparent);
    assertThat(last.header("X-Request-Id")).isEqualTo("req-42");
    assertThat(last.bodyText()).isEqualTo(body);
    assertThat(engine.stats().requests("/v1/chat/completions")).isPositive();
    assertThat(engine.stats().recentRequests()).isNotEmpty().last().isSameAs(last);
  }

  private static String unique(String text) {
    return text + " " + UUID.randomUUID();
  }
}
