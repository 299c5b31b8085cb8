package dev.shepherd.kernel.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.Headers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.spi.ParsedRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Header changes made by request middleware reach later middleware and the worker. */
class MiddlewareHeadersTest {

    private static KernelGatewayRequest request() {
        return new KernelGatewayRequest("r1", new Headers(Map.of("authorization", List.of("Bearer k"),
                "x-client", List.of("c"))), new Body(), Instant.MAX);
    }

    @Test
    void setHeadersAreSeenAndForwarded() {
        KernelGatewayRequest request = request();

        request.modifyHeaders(Map.of("X-Tenant", "blue", "x-request-id", "forged", "content-length", "1"), List.of());

        assertThat(request.headers().first("x-tenant")).isEqualTo("blue");
        assertThat(ForwardedHeaders.of(request.headers(), request.id(), request.middlewareHeaders()))
                .containsEntry("x-tenant", List.of("blue"))
                .containsEntry("authorization", List.of("Bearer k"))
                .containsEntry("x-request-id", List.of("r1"))
                .doesNotContainKey("content-length")
                .doesNotContainKey("x-client");
    }

    @Test
    void removedHeadersAreNotForwarded() {
        KernelGatewayRequest request = request();
        request.modifyHeaders(Map.of("x-added", "1"), List.of());

        request.modifyHeaders(Map.of(), List.of("Authorization", "x-added"));

        assertThat(request.headers().contains("authorization")).isFalse();
        assertThat(ForwardedHeaders.of(request.headers(), request.id(), request.middlewareHeaders()))
                .doesNotContainKeys("authorization", "x-added");
    }

    /** The least body a request needs here. */
    private record Body() implements ParsedRequest {
        @Override
        public String kind() {
            return "chat";
        }

        @Override
        public String model() {
            return "m";
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
            return new byte[0];
        }

        @Override
        public JsonNode json() {
            return null;
        }

        @Override
        public String routingText() {
            return "";
        }

        @Override
        public ParsedRequest withModel(String newModel) {
            return this;
        }
    }
}
