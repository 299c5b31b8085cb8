package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refusal rule of the parsers, with the exact status, type, code and param clients receive. */
class RequestValidationTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final String COMPLETIONS = "/v1/completions";
    private static final String EMBEDDINGS = "/v1/embeddings";
    private static final String GENERATE = "/generate";
    private static final String VALID_CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final TestApi api = new TestApi();

    private static void assertRefused(GatewayException error, int status, String code, String param) {
        assertThat(error.status()).as("status").isEqualTo(status);
        assertThat(error.type()).as("type").isEqualTo("invalid_request_error");
        assertThat(error.code()).as("code").isEqualTo(code);
        assertThat(error.param()).as("param").isEqualTo(Optional.ofNullable(param));
        assertThat(error.getMessage()).as("message").isNotBlank();
    }

    @Nested
    class ContentType {

        @ParameterizedTest
        @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
                " application/json ", "application/vnd.api+json", "application/merge-patch+json; charset=utf-8"})
        void acceptsJsonMediaTypes(String contentType) {
            var request = TestApi.request("POST", CHAT, contentType, VALID_CHAT.getBytes(StandardCharsets.UTF_8));
            assertThat(api.parse(request).model()).isEqualTo("m");
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "  "})
        void acceptsAbsentContentTypeWithJsonBody(String contentType) {
            var request = TestApi.request("POST", CHAT, contentType, VALID_CHAT.getBytes(StandardCharsets.UTF_8));
            assertThat(api.parse(request).model()).isEqualTo("m");
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonp", "+json", "application/xml"})
        void refusesOtherMediaTypesWith415(String contentType) {
            var request = TestApi.request("POST", CHAT, contentType, VALID_CHAT.getBytes(StandardCharsets.UTF_8));
            assertRefused(api.refusal(request), 415, "unsupported_media_type", null);
        }

        @Test
        void checksContentTypeBeforeTheBody() {
            var request = TestApi.request("POST", CHAT, "text/plain", "not json".getBytes(StandardCharsets.UTF_8));
            assertThat(api.refusal(request).status()).isEqualTo(415);
        }
    }

    @Nested
    class MalformedBody {

        @ParameterizedTest
        @ValueSource(strings = {CHAT, COMPLETIONS, EMBEDDINGS, GENERATE})
        void refusesEmptyBody(String path) {
            GatewayException error = api.refusal(TestApi.request("POST", path, "application/json", new byte[0]));
            assertRefused(error, 400, "invalid_json", null);
            assertThat(error.getMessage()).contains("empty");
        }

        @Test
        void refusesMissingBody() {
            assertRefused(api.refusal(TestApi.request("POST", CHAT, "application/json", null)), 400, "invalid_json", null);
        }

        @Test
        void refusesWhitespaceOnlyBody() {
            GatewayException error = api.refusal(CHAT, "  \n\t ");
            assertRefused(error, 400, "invalid_json", null);
            assertThat(error.getMessage()).contains("empty");
        }

        @Test
        void refusesMalformedJsonNamingWhereItBroke() {
            GatewayException error = api.refusal(CHAT, "{\"model\":\"m\",\n \"messages\": [}");
            assertRefused(error, 400, "invalid_json", null);
            assertThat(error.getMessage()).contains("not valid JSON").contains("line 2, column").doesNotContain("Source");
        }

        @Test
        void refusesTruncatedJson() {
            GatewayException error = api.refusal(CHAT, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"");
            assertRefused(error, 400, "invalid_json", null);
            assertThat(error.getMessage()).contains("end-of-input").contains("line 1, column");
        }

        @Test
        void refusesMalformedJsonNestedInsideSkippedFields() {
            GatewayException error = api.refusal(CHAT, VALID_CHAT.replace("}]}", "}],\"tools\":[{\"a\":tru}]}"));
            assertRefused(error, 400, "invalid_json", null);
        }

        @Test
        void refusesBodiesInAnUndecodableEncoding() {
            byte[] badUcs4 = {0, 0, '{', 0};
            assertRefused(api.refusal(TestApi.request("POST", CHAT, "application/json", badUcs4)), 400, "invalid_json", null);
        }

        @Test
        void refusesInvalidUtf8() {
            byte[] body = {'{', '"', 'm', '"', ':', '"', (byte) 0xc3, '"', '}'};
            assertRefused(api.refusal(TestApi.request("POST", CHAT, "application/json", body)), 400, "invalid_json", null);
        }

        @Test
        void refusesContentAfterTheObject() {
            GatewayException error = api.refusal(CHAT, VALID_CHAT + " {}");
            assertRefused(error, 400, "invalid_json", null);
            assertThat(error.getMessage()).contains("after the JSON object").contains("line 1, column");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"text\"", "42", "null", "true"})
        void refusesNonObjectTopLevel(String body) {
            GatewayException error = api.refusal(CHAT, body);
            assertRefused(error, 400, "invalid_json", null);
            assertThat(error.getMessage()).contains("must be a JSON object");
        }

        @Test
        void namesTheKindOfTopLevelValueItGot() {
            assertThat(api.refusal(CHAT, "[1]").getMessage()).contains("got an array");
        }
    }

    @Nested
    class CommonFields {

        @ParameterizedTest
        @ValueSource(strings = {"42", "true", "{\"id\":\"m\"}", "[\"m\"]"})
        void refusesNonStringModel(String model) {
            GatewayException error = api.refusal(CHAT, "{\"model\":" + model + ",\"messages\":[{\"role\":\"user\"}]}");
            assertRefused(error, 400, "invalid_type", "model");
            assertThat(error.getMessage()).contains("expected a string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"true\"", "1", "{}", "[]"})
        void refusesNonBooleanStream(String stream) {
            GatewayException error = api.refusal(CHAT, "{\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\"}]}");
            assertRefused(error, 400, "invalid_type", "stream");
            assertThat(error.getMessage()).contains("expected a boolean");
        }

        @ParameterizedTest
        @ValueSource(strings = {COMPLETIONS, EMBEDDINGS, GENERATE})
        void checksModelAndStreamTypesOnEveryEndpoint(String path) {
            assertRefused(api.refusal(path, "{\"model\":1}"), 400, "invalid_type", "model");
            assertRefused(api.refusal(path, "{\"stream\":\"yes\"}"), 400, "invalid_type", "stream");
        }

        @Test
        void treatsNullModelAndStreamAsAbsent() {
            var parsed = api.parse(CHAT, "{\"model\":null,\"stream\":null,\"messages\":[{\"role\":\"user\"}]}");
            assertThat(parsed.model()).isEmpty();
            assertThat(parsed.stream()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {CHAT, COMPLETIONS, EMBEDDINGS})
        void missingModelParsesAsEmptySoTheKernelMayRouteAnywhere(String path) {
            String body = switch (path) {
                case CHAT -> "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                case COMPLETIONS -> "{\"prompt\":\"hi\"}";
                default -> "{\"input\":\"hi\"}";
            };
            assertThat(api.parse(path, body).model()).isEmpty();
        }
    }

    @Nested
    class Chat {

        @Test
        void requiresMessages() {
            GatewayException error = api.refusal(CHAT, "{\"model\":\"m\"}");
            assertRefused(error, 400, "missing_required_parameter", "messages");
            assertThat(error.getMessage()).contains("'messages'");
        }

        @Test
        void refusesEmptyMessages() {
            GatewayException error = api.refusal(CHAT, "{\"model\":\"m\",\"messages\":[]}");
            assertRefused(error, 400, "empty_array", "messages");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"hi\"", "{}", "null", "3"})
        void refusesMessagesThatAreNotAnArray(String messages) {
            GatewayException error = api.refusal(CHAT, "{\"model\":\"m\",\"messages\":" + messages + "}");
            assertRefused(error, 400, "invalid_type", "messages");
            assertThat(error.getMessage()).contains("expected an array");
        }

        @Test
        void acceptsMessagesAndReadsPastThem() {
            var parsed = api.parse(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}]},"
                    + "{\"role\":\"assistant\",\"content\":\"b\"}],\"model\":\"after\"}");
            assertThat(parsed.model()).isEqualTo("after");
            assertThat(parsed.kind()).isEqualTo("chat");
        }
    }

    @Nested
    class Completions {

        @Test
        void requiresPrompt() {
            assertRefused(api.refusal(COMPLETIONS, "{\"model\":\"m\"}"), 400, "missing_required_parameter", "prompt");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"once upon\"", "[\"a\",\"b\"]", "[1,2,3]", "[[1,2],[3]]"})
        void acceptsStringOrArrayPrompt(String prompt) {
            assertThat(api.parse(COMPLETIONS, "{\"model\":\"m\",\"prompt\":" + prompt + "}").kind()).isEqualTo("completions");
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "{}", "null", "false"})
        void refusesOtherPromptTypes(String prompt) {
            GatewayException error = api.refusal(COMPLETIONS, "{\"model\":\"m\",\"prompt\":" + prompt + "}");
            assertRefused(error, 400, "invalid_type", "prompt");
            assertThat(error.getMessage()).contains("expected a string or an array");
        }
    }

    @Nested
    class Embeddings {

        @Test
        void requiresInput() {
            assertRefused(api.refusal(EMBEDDINGS, "{\"model\":\"m\"}"), 400, "missing_required_parameter", "input");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"text\"", "[\"a\",\"b\"]", "[1,2]"})
        void acceptsStringOrArrayInput(String input) {
            assertThat(api.parse(EMBEDDINGS, "{\"model\":\"m\",\"input\":" + input + "}").kind()).isEqualTo("embeddings");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "{}", "null"})
        void refusesOtherInputTypes(String input) {
            assertRefused(api.refusal(EMBEDDINGS, "{\"model\":\"m\",\"input\":" + input + "}"), 400, "invalid_type", "input");
        }
    }

    @Nested
    class Generate {

        @Test
        void requiresTextOrInputIds() {
            GatewayException error = api.refusal(GENERATE, "{\"sampling_params\":{\"text\":\"nested does not count\"}}");
            assertRefused(error, 400, "missing_required_parameter", "text");
            assertThat(error.getMessage()).contains("'text'").contains("'input_ids'");
        }

        @Test
        void countsNullAsAbsent() {
            assertRefused(api.refusal(GENERATE, "{\"text\":null,\"input_ids\":null}"), 400, "missing_required_parameter", "text");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"text\":\"hi\"}", "{\"text\":[\"a\",\"b\"]}", "{\"input_ids\":[1,2,3]}",
                "{\"text\":null,\"input_ids\":[1]}", "{\"input_embeds\":[[0.1,0.2]]}"})
        void acceptsEitherPromptField(String body) {
            var parsed = api.parse(GENERATE, body);
            assertThat(parsed.kind()).isEqualTo("generate");
            assertThat(parsed.model()).as("model is optional on /generate").isEmpty();
        }

        @Test
        void refusesTextOfWrongType() {
            assertRefused(api.refusal(GENERATE, "{\"text\":5}"), 400, "invalid_type", "text");
        }

        @Test
        void refusesInputIdsOfWrongType() {
            assertRefused(api.refusal(GENERATE, "{\"input_ids\":\"1 2\"}"), 400, "invalid_type", "input_ids");
        }

        @Test
        void readsAnOptionalModel() {
            assertThat(api.parse(GENERATE, "{\"text\":\"hi\",\"model\":\"qwen\"}").model()).isEqualTo("qwen");
        }
    }
}
