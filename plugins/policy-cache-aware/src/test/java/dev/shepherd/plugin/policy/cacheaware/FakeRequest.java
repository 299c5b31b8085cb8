package dev.shepherd.plugin.policy.cacheaware;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.Principal;
import dev.shepherd.spi.ParsedRequest;
import java.time.Instant;
import java.util.Optional;

/** A chat request reduced to what the policy reads: its model and routing text. Immutable. */
record FakeRequest(ParsedRequest parsed) implements GatewayRequest {

    static FakeRequest withText(String routingText) {
        return new FakeRequest(new FakeParsedRequest("test-model", routingText, JsonNodeFactory.instance.objectNode()));
    }

    /** A chat's routing text as the OpenAI API renders it: one "role\ncontent\n" block per message. */
    static FakeRequest chat(String... roleAndContent) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < roleAndContent.length; i += 2) {
            text.append(roleAndContent[i]).append('\n').append(roleAndContent[i + 1]).append('\n');
        }
        return withText(text.toString());
    }

    String text() {
        return parsed.routingText();
    }

    @Override
    public String id() {
        return "req-1";
    }

    @Override
    public Headers headers() {
        return Headers.EMPTY;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.empty();
    }

    @Override
    public String tenant() {
        return "default";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Instant deadline() {
        return Instant.MAX;
    }
}
