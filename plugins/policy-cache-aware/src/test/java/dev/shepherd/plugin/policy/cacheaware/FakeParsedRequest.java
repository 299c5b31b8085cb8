package dev.shepherd.plugin.policy.cacheaware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.shepherd.spi.ParsedRequest;
import java.nio.charset.StandardCharsets;

/** A chat request body reduced to what policies read: its routing text and JSON tree. */
record FakeParsedRequest(String model, String routingText, JsonNode json) implements ParsedRequest {

    @Override
    public String kind() {
        return "chat";
    }

    @Override
    public boolean stream() {
        return false;
    }

    @Override
    public String upstreamPath() {
        return "/v1/chat/completions";
    }

    @Override
    public byte[] body() {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ParsedRequest withModel(String newModel) {
        return new FakeParsedRequest(newModel, routingText, json);
    }

    static FakeParsedRequest withText(String routingText) {
        return new FakeParsedRequest("test-model", routingText, JsonNodeFactory.instance.objectNode());
    }
}
