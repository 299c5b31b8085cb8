package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.ParsedRequest;
import dev.shepherd.spi.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A chat request with an id, headers and a body, as middleware sees it. */
final class TestRequest implements GatewayRequest {

    private final String id;
    private final Map<String, List<String>> headers = new HashMap<>();
    private final String body;

    TestRequest(String id, String body) {
        this.id = id;
        this.body = body;
    }

    static TestRequest chat(String id, String content) {
        return new TestRequest(id, "{\"model\":\"sim-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}");
    }

    TestRequest header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Headers headers() {
        return new Headers(Map.copyOf(headers));
    }

    @Override
    public ParsedRequest parsed() {
        return new ParsedRequest() {
            @Override
            public String kind() {
                return "chat";
            }

            @Override
            public String model() {
                return "sim-model";
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
                return body.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public JsonNode json() {
                try {
                    return new ObjectMapper().readTree(body);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String routingText() {
                return body;
            }

            @Override
            public ParsedRequest withModel(String newModel) {
                return this;
            }
        };
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
