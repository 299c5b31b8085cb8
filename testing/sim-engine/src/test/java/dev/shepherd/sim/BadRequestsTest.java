package dev.shepherd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadRequestsTest {

  private static SimEngine engine;
  private static SimHttp http;

  @BeforeAll
  static void startEngine() {
    engine = SimEngine.start(SimEngineConfig.defaults().withMaxModelLen(64));
    http = new SimHttp(engine);
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /v1/chat/completions | {bad json
      /v1/chat/completions | []
      /v1/chat/completions | {"model":"sim-model"}
      /v1/chat/completions | {"messages":"hello"}
      /v1/chat/completions | {"messages":[]}
      /v1/chat/completions | {"messages":[{"content":"no role"}]}
      /v1/chat/completions | {"messages":[{"role":"user","content":"hi"}],"max_tokens":"many"}
      /v1/chat/completions | {"messages":[{"role":"user","content":"hi"}],"max_tokens":-1}
      /v1/chat/completions | {"messages":[{"role":"user","content":"hi"}],"stream":"yes"}
      /v1/chat/completions | {"messages":[{"role":"user","content":"hi"}],"max_tokens":100}
      /v1/chat/completions | {"messages":[{"role":"user","content":"hi"}],"continue_final_message":true}
      /v1/completions      | {"model":"sim-model"}
      /v1/completions      | {"prompt":[]}
      /v1/completions      | {"prompt":[{"not":"a prompt"}]}
      /generate            | {"sampling_params":{"max_new_tokens":2}}
      /v1/embeddings       | {"input":42}
      /v1/embeddings       | {"input":"x","encoding_format":"hex"}
      """)
  void rejectsMalformedRequestsWith400(String path, String body) throws Exception {
    HttpResponse<String> response = http.post(path, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = SimHttp.json(response.body()).get("error");
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.has("code")).isTrue();
    assertThat(error.has("param")).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"/v1/chat/completions", "/v1/completions", "/v1/embeddings"})
  void rejectsUnknownModelWith404ModelNotFound(String path) throws Exception {
    String body = "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"prompt\":\"hi\",\"input\":\"hi\"}";
    HttpResponse<String> response = http.post(path, body);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(SimHttp.json(response.body()).at("/error/code").asText()).isEqualTo("model_not_found");
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    assertThat(http.get("/v1/nothing-here").statusCode()).isEqualTo(404);
    assertThat(http.get("/v1/chat/completions").statusCode()).isEqualTo(405);
    assertThat(engine.stats().requests(SimStats.OTHER_ROUTE)).isPositive();
  }
}
