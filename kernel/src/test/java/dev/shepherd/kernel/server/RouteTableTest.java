package dev.shepherd.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.LocalResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final Api API = List::of;

    private final RouteTable table = new RouteTable();

    @Test
    void anExactPathMatchesItsMethod() {
        Endpoint chat = inference("POST", "/v1/chat/completions");
        table.add(API, chat);
        table.add(API, local("GET", "/v1/models"));

        RouteTable.Match match = table.match("POST", "/v1/chat/completions");

        assertThat(match).isInstanceOf(RouteTable.Found.class);
        RouteTable.Found found = (RouteTable.Found) match;
        assertThat(found.route().endpoint()).isSameAs(chat);
        assertThat(found.route().api()).isSameAs(API);
        assertThat(found.params()).isEmpty();
    }

    @Test
    void aTemplatePathBindsItsParameters() {
        Endpoint item = local("GET", "/v1/conversations/{conversation}/items/{item}");
        table.add(null, local("GET", "/v1/conversations/{conversation}"));
        table.add(null, item);

        RouteTable.Match match = table.match("GET", "/v1/conversations/conv_1/items/msg_2");

        assertThat(match).isInstanceOf(RouteTable.Found.class);
        assertThat(((RouteTable.Found) match).route().endpoint()).isSameAs(item);
        assertThat(((RouteTable.Found) match).params()).isEqualTo(Map.of("conversation", "conv_1", "item", "msg_2"));
    }

    @Test
    void anExactPathWinsOverATemplate() {
        Endpoint exact = local("GET", "/workers/special");
        table.add(null, local("GET", "/workers/{id}"));
        table.add(null, exact);

        assertThat(((RouteTable.Found) table.match("GET", "/workers/special")).route().endpoint()).isSameAs(exact);
        assertThat(((RouteTable.Found) table.match("GET", "/workers/w-1")).params()).containsEntry("id", "w-1");
    }

    @Test
    void aKnownPathWithAnotherMethodIsAWrongMethod() {
        table.add(API, inference("POST", "/v1/chat/completions"));
        table.add(null, local("GET", "/workers/{id}"));

        assertThat(table.match("GET", "/v1/chat/completions")).isInstanceOf(RouteTable.WrongMethod.class);
        assertThat(table.match("PUT", "/workers/w-1")).isInstanceOf(RouteTable.WrongMethod.class);
    }

    @Test
    void anUnknownPathIsMissing() {
        table.add(API, inference("POST", "/v1/chat/completions"));
        table.add(null, local("GET", "/workers/{id}"));

        assertThat(table.match("POST", "/v1/nope")).isInstanceOf(RouteTable.Missing.class);
        assertThat(table.match("GET", "/workers")).isInstanceOf(RouteTable.Missing.class);
        assertThat(table.match("GET", "/workers/a/b")).isInstanceOf(RouteTable.Missing.class);
        assertThat(table.match("GET", "/workers/")).as("an empty segment binds no parameter")
                .isInstanceOf(RouteTable.Missing.class);
        assertThat(table.match("GET", "/")).isInstanceOf(RouteTable.Missing.class);
    }

    @Test
    void twoEndpointsClaimingTheSameMethodAndPathAreRefused() {
        table.add(API, inference("POST", "/v1/chat/completions"));
        table.add(null, local("GET", "/workers/{id}"));

        assertThatThrownBy(() -> table.add(API, inference("POST", "/v1/chat/completions")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("POST /v1/chat/completions");
        assertThatThrownBy(() -> table.add(null, local("GET", "/workers/{id}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GET /workers/{id}");
    }

    @Test
    void theSamePathMayServeSeveralMethods() {
        table.add(null, local("GET", "/workers"));
        table.add(null, local("POST", "/workers"));
        table.add(null, local("GET", "/workers/{id}"));
        table.add(null, local("DELETE", "/workers/{id}"));

        assertThat(table.match("POST", "/workers")).isInstanceOf(RouteTable.Found.class);
        assertThat(table.match("DELETE", "/workers/x")).isInstanceOf(RouteTable.Found.class);
    }

    private static Endpoint inference(String method, String path) {
        return new Endpoint.Inference(method, path, request -> {
            throw new UnsupportedOperationException();
        });
    }

    private static Endpoint local(String method, String path) {
        return new Endpoint.Local(method, path, false,
                request -> CompletableFuture.completedFuture(LocalResponse.text(200, "ok")));
    }
}
