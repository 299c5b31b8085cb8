package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.spi.ParsedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lazy views of a parsed request and the model rewrite. */
class OpenAiParsedRequestTest {

    private static final String CHAT = "/v1/chat/completions";
    // Odd spacing, key order, escapes and number forms that a re-serialisation would change.
    private static final String BODY = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"q\\\"\"} ],\n"
            + "  \"temperature\": 0.70, \"max_tokens\": 1e2, \"model\": \"alias\", \"stream\": true,\n"
            + "  \"metadata\": {\"model\": \"nested\"} }";

    private final TestApi api = new TestApi();

    @Test
    void forwardsTheOriginalBytesUntouched() {
        byte[] sent = BODY.getBytes(StandardCharsets.UTF_8);
        byte[] copy = sent.clone();
        ParsedRequest parsed = api.parse(TestApi.request("POST", CHAT, "application/json", sent));

        parsed.json();
        parsed.routingText();

        assertThat(parsed.body()).isSameAs(sent).isEqualTo(copy);
    }

    @Test
    void parsesTheTreeOnceAndKeepsIt() {
        ParsedRequest parsed = api.parse(CHAT, BODY);

        JsonNode first = parsed.json();

        assertThat(parsed.json()).isSameAs(first);
        assertThat(first.get("model").textValue()).isEqualTo("alias");
        assertThat(first.get("temperature").doubleValue()).isEqualTo(0.7);
    }

    @Test
    void rendersTheRoutingTextOnceAndKeepsIt() {
        ParsedRequest parsed = api.parse(CHAT, BODY);

        String first = parsed.routingText();

        assertThat(parsed.routingText()).isSameAs(first).isEqualTo("user\ncafé \"q\"\n");
    }

    @Test
    void withModelReplacesOnlyTheTopLevelModel() throws Exception {
        ParsedRequest parsed = api.parse(CHAT, BODY);

        ParsedRequest renamed = parsed.withModel("canonical");

        assertThat(renamed.model()).isEqualTo("canonical");
        JsonNode rewritten = TestPluginContext.KERNEL_MAPPER.readTree(renamed.body());
        JsonNode expected = TestPluginContext.KERNEL_MAPPER.readTree(BODY);
        ((ObjectNode) expected).put("model", "canonical");
        assertThat(rewritten).isEqualTo(expected);
        assertThat(rewritten.path("metadata").path("model").textValue()).isEqualTo("nested");
        assertThat(fieldNames(rewritten)).containsExactly("messages", "temperature", "max_tokens", "model", "stream", "metadata");
        assertThat(renamed.json()).isEqualTo(rewritten);
    }

    @Test
    void withModelKeepsKindStreamPathAndRoutingText() {
        ParsedRequest parsed = api.parse(CHAT, BODY);

        ParsedRequest renamed = parsed.withModel("canonical");

        assertThat(renamed.kind()).isEqualTo("chat");
        assertThat(renamed.stream()).isTrue();
        assertThat(renamed.upstreamPath()).isEqualTo(CHAT);
        assertThat(renamed.routingText()).isEqualTo(parsed.routingText());
    }

    @Test
    void withModelLeavesTheOriginalRequestAndItsTreeAlone() {
        byte[] sent = BODY.getBytes(StandardCharsets.UTF_8);
        ParsedRequest parsed = api.parse(TestApi.request("POST", CHAT, "application/json", sent));
        JsonNode tree = parsed.json();

        parsed.withModel("canonical");

        assertThat(parsed.model()).isEqualTo("alias");
        assertThat(parsed.body()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.json()).isSameAs(tree);
        assertThat(tree.get("model").textValue()).isEqualTo("alias");
    }

    @Test
    void withModelAddsTheFieldWhenTheBodyHadNone() throws Exception {
        ParsedRequest parsed = api.parse("/v1/completions", "{\"prompt\":\"p\"}");

        ParsedRequest renamed = parsed.withModel("m");

        assertThat(TestPluginContext.KERNEL_MAPPER.readTree(renamed.body()).get("model").textValue()).isEqualTo("m");
        assertThat(renamed.model()).isEqualTo("m");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
