package dev.shepherd.testkit.fakes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.Principal;
import dev.shepherd.spi.ParsedRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway request built by a test: headers, routing text and an optional body {@code user}. Not
 * changed once built, so several threads may read one.
 */
public final class FakeRequest implements GatewayRequest {

    private final Map<String, List<String>> headerValues = new HashMap<>();
    private Headers headers = Headers.EMPTY;
    private String routingText = "";
    private String user;
    private ParsedRequest parsed = FakeParsedRequest.withText("");

    public static FakeRequest withText(String routingText) {
        return new FakeRequest().text(routingText);
    }

    public static FakeRequest withRoutingKey(String key) {
        return new FakeRequest().header("X-SMG-Routing-Key", key);
    }

    public FakeRequest text(String value) {
        routingText = value;
        parsed = parse();
        return this;
    }

    public FakeRequest header(String name, String value) {
        headerValues.put(name.toLowerCase(Locale.ROOT), List.of(value));
        headers = new Headers(Map.copyOf(headerValues));
        return this;
    }

    public FakeRequest user(String value) {
        user = value;
        parsed = parse();
        return this;
    }

    @Override
    public String id() {
        return "req-1";
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public ParsedRequest parsed() {
        return parsed;
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

    private ParsedRequest parse() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (user != null) {
            body.put("user", user);
        }
        return new FakeParsedRequest("test-model", routingText, body);
    }
}
