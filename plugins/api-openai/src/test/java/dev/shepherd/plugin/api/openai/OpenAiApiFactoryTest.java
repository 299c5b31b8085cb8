package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.ApiFactory;
import dev.shepherd.spi.api.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.net.URL;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

/** The factory as PF4J and the kernel find and use it. */
class OpenAiApiFactoryTest {

    @Test
    void isNamedOpenAiAndBindsItsConfigRecord() {
        ApiFactory<OpenAiApiConfig> factory = new OpenAiApiFactory();
        assertThat(factory.name()).isEqualTo("openai");
        assertThat(factory.configType()).isEqualTo(OpenAiApiConfig.class);
        assertThat(factory.sensitiveKeys()).isEmpty();
        assertThat(factory.dependsOn()).isEmpty();
    }

    @Test
    void isAPf4jExtensionListedInTheExtensionIndex() throws IOException {
        assertThat(OpenAiApiFactory.class.isAnnotationPresent(Extension.class)).isTrue();
        List<String> indexed = new ArrayList<>();
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                indexed.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        assertThat(indexed).contains(OpenAiApiFactory.class.getName());
    }

    @Test
    void createsTheApiWithEveryEndpoint() {
        Api api = new OpenAiApiFactory().create(OpenAiApiConfig.defaults(), new TestPluginContext());

        assertThat(api.endpoints())
                .extracting(Endpoint::method, Endpoint::path, e -> e.getClass().getSimpleName())
                .containsExactlyInAnyOrder(
                        tuple("POST", "/v1/chat/completions", "Inference"),
                        tuple("POST", "/v1/completions", "Inference"),
                        tuple("POST", "/v1/embeddings", "Inference"),
                        tuple("POST", "/generate", "Inference"),
                        tuple("GET", "/v1/models", "Local"));
        assertThat(api.errorBody(dev.shepherd.spi.GatewayException.badRequest("c", null, "m")))
                .as("errors use the kernel's OpenAI shape").isEmpty();
    }

    @Test
    void eachInferenceEndpointParsesItsOwnKind() {
        TestApi api = new TestApi();
        assertThat(api.parse("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\"}]}").kind()).isEqualTo("chat");
        assertThat(api.parse("/v1/completions", "{\"prompt\":\"p\"}").kind()).isEqualTo("completions");
        assertThat(api.parse("/v1/embeddings", "{\"input\":\"p\"}").kind()).isEqualTo("embeddings");
        assertThat(api.parse("/generate", "{\"text\":\"p\"}").kind()).isEqualTo("generate");
    }
}
