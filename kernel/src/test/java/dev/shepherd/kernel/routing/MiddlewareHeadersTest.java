package dev.shepherd.kernel.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.Headers;
import dev.shepherd.testkit.fakes.FakeParsedRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Header changes made by request middleware reach later middleware and the worker. */
class MiddlewareHeadersTest {

    private static KernelGatewayRequest request() {
        return new KernelGatewayRequest("r1", new Headers(Map.of("authorization", List.of("Bearer k"),
                "x-client", List.of("c"))), FakeParsedRequest.withText(""), Instant.MAX);
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
}
