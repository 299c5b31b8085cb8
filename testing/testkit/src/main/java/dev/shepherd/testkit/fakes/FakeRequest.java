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
 * A gateway request built by a test: id, headers, model, routing text and JSON body. Policies read
 * the routing text; middleware reads the id, headers and body bytes. Not changed once built, so
 * several threads may read one.
 */
public final class FakeRequest implements GatewayRequest {

    private final Map<String, List<String>> headerValues = new HashMap<>();
    private String id = "req-1";
    private Headers headers = Headers.EMPTY;
    private String model = "test-model";
    private String routingText = "";
    private final ObjectNode body = JsonNodeFactory.instance.objectNode();
    private ParsedRequest parsed = FakeParsedRequest.withText("");

    public static FakeRequest withText(String routingText) {
        return new FakeRequest().text(routingText);
    }

    public static FakeRequest withRoutingKey(String key) {
        return new FakeRequest().header("X-SMG-Routing-Key", key);
    }

    /**
     * A chat whose routing text is rendered as the OpenAI API renders it, one {@code "role\ncontent\n"}
     * block per message, so that later turns of a conversation share a prefix with earlier ones.
     *
     * @param roleAndContent role, content, role, content, …
     */
    public static FakeRequest withChat(String... roleAndContent) {
        if (roleAndContent.length % 2 != 0) {
            throw new IllegalArgumentException("roles and contents come in pairs");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < roleAndContent.length; i += 2) {
            text.append(roleAndContent[i]).append('\n').append(roleAndContent[i + 1]).append('\n');
        }
        return withText(text.toString());
    }

    /**
     * A chat completion as a client sends it, for middleware that reads the body bytes:
     * {@code {"model":MODEL,"messages":[{"role":"user","content":CONTENT}]}}, routed on its one turn.
     */
    public static FakeRequest withUserMessage(String model, String content) {
        FakeRequest request = new FakeRequest();
        request.model = model;
        request.body.put("model", model);
        request.body.putArray("messages").addObject().put("role", "user").put("content", content);
        return request.text("user\n" + content + "\n");
    }

    public FakeRequest id(String value) {
        id = value;
        return this;
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

    /** Sets the body's {@code user} field, which sticky policies may route on. */
    public FakeRequest user(String value) {
        body.put("user", value);
        parsed = parse();
        return this;
    }

    @Override
    public String id() {
        return id;
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
        // A copy: a parsed request handed out before a later setter must not change under its reader.
        return new FakeParsedRequest(model, routingText, body.deepCopy());
    }
}
