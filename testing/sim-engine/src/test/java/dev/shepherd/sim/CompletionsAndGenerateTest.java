package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CompletionsAndGenerateTest {

  private static SimEngine engine;
  private static SimHttp http;

  @BeforeAll
  static void startEngine() {
    engine = SimEngine.start(SimEngineConfig.defaults());
    http = new SimHttp(engine);
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @Test
  void answersTextCompletion() throws Exception {
    JsonNode response = http.postOk("/v1/completions",
        "{\"model\":\"sim-model\",\"prompt\":\"Once upon a time\",\"max_tokens\":6,\"echo\":false}");

    assertThat(response.get("id").asText()).startsWith("cmpl-");
    assertThat(response.get("object").asText()).isEqualTo("text_completion");
    JsonNode choice = response.at("/choices/0");
    assertThat(choice.get("index").asInt()).isZero();
    assertThat(choice.get("text").asText()).startsWith(" ").satisfies(
        text -> assertThat(text.strip().split(" ")).hasSize(6));
    assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
    assertThat(response.at("/usage/prompt_tokens").asInt()).isEqualTo(4);
    assertThat(response.at("/usage/completion_tokens").asInt()).isEqualTo(6);
  }

  @Test
  void answersOneChoicePerPromptOfABatch() throws Exception {
    JsonNode response = http.postOk("/v1/completions", "{\"prompt\":[\"one prompt\",\"another prompt\"],\"max_tokens\":3}");

    assertThat(response.get("choices")).hasSize(2);
    assertThat(response.at("/choices/1/index").asInt()).isEqualTo(1);
    assertThat(response.at("/usage/prompt_tokens").asInt()).isEqualTo(4);
    assertThat(response.at("/usage/completion_tokens").asInt()).isEqualTo(6);
  }

  @Test
  void extendingTheCompletionPromptWithGeneratedTextContinuesIt() throws Exception {
    String prompt = "The quick brown fox";
    String full = http.postOk("/v1/completions", "{\"prompt\":\"" + prompt + "\",\"max_tokens\":8}")
        .at("/choices/0/text").asText();
    String[] words = full.strip().split(" ");
    String head = " " + String.join(" ", Arrays.copyOfRange(words, 0, 4));

    String tail = http.postOk("/v1/completions", "{\"prompt\":" + SimHttp.quote(prompt + head) + ",\"max_tokens\":4}")
        .at("/choices/0/text").asText();

    assertThat(head + tail).isEqualTo(full);
  }

  @Test
  void streamsCompletionWithUsageAndDone() throws Exception {
    HttpResponse<String> response = http.post("/v1/completions",
        "{\"prompt\":\"Stream it\",\"max_tokens\":3,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    List<String> events = SimHttp.sseData(response.body());
    assertThat(events).hasSize(3 + 1 + 1 + 1).last().isEqualTo("[DONE]");
    assertThat(SimHttp.json(events.get(0)).get("object").asText()).isEqualTo("text_completion");
    assertThat(SimHttp.json(events.get(3)).at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(SimHttp.json(events.get(4)).at("/usage/completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void answersSglangGenerate() throws Exception {
    JsonNode response = http.postOk("/generate",
        "{\"text\":\"Hello sglang\",\"sampling_params\":{\"max_new_tokens\":5,\"temperature\":0}}");

    assertThat(response.get("text").asText().strip().split(" ")).hasSize(5);
    JsonNode meta = response.get("meta_info");
    assertThat(meta.get("id").asText()).isNotBlank();
    assertThat(meta.get("prompt_tokens").asInt()).isEqualTo(2);
    assertThat(meta.get("completion_tokens").asInt()).isEqualTo(5);
    assertThat(meta.get("cached_tokens").asInt()).isZero();
    assertThat(meta.at("/finish_reason/type").asText()).isEqualTo("length");
  }

  @Test
  void generateAcceptsInputIds() throws Exception {
    JsonNode response = http.postOk("/generate", "{\"input_ids\":[1,2,3],\"sampling_params\":{\"max_new_tokens\":2}}");
    assertThat(response.at("/meta_info/prompt_tokens").asInt()).isEqualTo(3);
    assertThat(response.at("/meta_info/completion_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void streamsSglangGenerateWithCumulativeText() throws Exception {
    HttpResponse<String> response = http.post("/generate",
        "{\"text\":\"Hello sglang\",\"sampling_params\":{\"max_new_tokens\":3},\"stream\":true}");

    List<String> events = SimHttp.sseData(response.body());
    assertThat(events).hasSize(3 + 1).last().isEqualTo("[DONE]");
    String first = SimHttp.json(events.get(0)).get("text").asText();
    String last = SimHttp.json(events.get(2)).get("text").asText();
    assertThat(last).startsWith(first);
    assertThat(SimHttp.json(events.get(0)).at("/meta_info/finish_reason").isNull()).isTrue();
    assertThat(SimHttp.json(events.get(2)).at("/meta_info/finish_reason/type").asText()).isEqualTo("length");
    JsonNode whole = http.postOk("/generate", "{\"text\":\"Hello sglang\",\"sampling_params\":{\"max_new_tokens\":3}}");
    assertThat(last).isEqualTo(whole.get("text").asText());
  }

  @Test
  void answersDeterministicUnitEmbeddings() throws Exception {
    JsonNode response = http.postOk("/v1/embeddings", "{\"model\":\"sim-model\",\"input\":[\"alpha\",\"beta gamma\"]}");

    assertThat(response.get("object").asText()).isEqualTo("list");
    assertThat(response.get("data")).hasSize(2);
    JsonNode vector = response.at("/data/0/embedding");
    assertThat(vector).hasSize(EmbeddingEndpoint.DIMENSIONS);
    double norm = 0;
    for (JsonNode value : vector) {
      norm += value.asDouble() * value.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(response.at("/usage/prompt_tokens").asInt()).isEqualTo(3);
    JsonNode again = http.postOk("/v1/embeddings", "{\"input\":\"alpha\"}");
    assertThat(again.at("/data/0/embedding")).isEqualTo(vector);
    assertThat(response.at("/data/1/embedding")).isNotEqualTo(vector);
  }

  @Test
  void encodesEmbeddingsAsBase64Float32WhenAsked() throws Exception {
    JsonNode response = http.postOk("/v1/embeddings", "{\"input\":\"alpha\",\"encoding_format\":\"base64\"}");
    byte[] bytes = Base64.getDecoder().decode(response.at("/data/0/embedding").asText());
    assertThat(bytes).hasSize(EmbeddingEndpoint.DIMENSIONS * Float.BYTES);
  }
}
