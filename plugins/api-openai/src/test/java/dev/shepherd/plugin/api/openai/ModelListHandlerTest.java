package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.LocalResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models} in OpenAI's list shape, from the registry's current models. */
class ModelListHandlerTest {

    private final TestApi api = new TestApi();

    private JsonNode list() throws Exception {
        Endpoint.Local models = api.local("/v1/models");
        LocalResponse response = models.handler()
                .handle(TestApi.request("GET", "/v1/models", null, new byte[0]))
                .toCompletableFuture().getNow(null);
        assertThat(response).as("answered without waiting").isNotNull();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        return TestPluginContext.KERNEL_MAPPER.readTree(response.body());
    }

    @Test
    void isAPublicGetRoute() {
        Endpoint.Local models = api.local("/v1/models");
        assertThat(models.method()).isEqualTo("GET");
        assertThat(models.admin()).isFalse();
    }

    @Test
    void listsEveryServedModelInOpenAiShape() throws Exception {
        api.context.registry().serveModels("llama-3-8b", "qwen2.5-7b");

        JsonNode list = list();

        assertThat(list.get("object").textValue()).isEqualTo("list");
        assertThat(list.get("data")).hasSize(2);
        JsonNode first = list.get("data").get(0);
        assertThat(first.get("id").textValue()).isEqualTo("llama-3-8b");
        assertThat(first.get("object").textValue()).isEqualTo("model");
        assertThat(first.get("created").isIntegralNumber()).isTrue();
        assertThat(first.get("created").longValue()).isEqualTo(TestPluginContext.START.getEpochSecond());
        assertThat(first.get("owned_by").textValue()).isEqualTo("shepherd");
        assertThat(fieldCount(first)).isEqualTo(4);
        assertThat(list.get("data").get(1).get("id").textValue()).isEqualTo("qwen2.5-7b");
    }

    @Test
    void isAnEmptyListWithoutWorkers() throws Exception {
        JsonNode list = list();
        assertThat(list.get("object").textValue()).isEqualTo("list");
        assertThat(list.get("data").isArray()).isTrue();
        assertThat(list.get("data")).isEmpty();
    }

    @Test
    void followsTheRegistryAsItChanges() throws Exception {
        api.context.registry().serveModels("a");
        assertThat(list().get("data")).hasSize(1);

        api.context.registry().serveModels("a", "b", "c");
        assertThat(list().get("data")).hasSize(3);
    }

    @Test
    void namesTheConfiguredOwner() throws Exception {
        TestPluginContext context = new TestPluginContext();
        context.registry().serveModels("m");
        OpenAiApi custom = new OpenAiApi(new OpenAiApiConfig("acme"), context);
        Endpoint.Local models = custom.endpoints().stream()
                .filter(Endpoint.Local.class::isInstance).map(Endpoint.Local.class::cast).findFirst().orElseThrow();

        LocalResponse response = models.handler().handle(TestApi.request("GET", "/v1/models", null, new byte[0]))
                .toCompletableFuture().getNow(null);

        assertThat(TestPluginContext.KERNEL_MAPPER.readTree(response.body()).at("/data/0/owned_by").textValue()).isEqualTo("acme");
    }

    private static int fieldCount(JsonNode node) {
        return node.size();
    }
}
