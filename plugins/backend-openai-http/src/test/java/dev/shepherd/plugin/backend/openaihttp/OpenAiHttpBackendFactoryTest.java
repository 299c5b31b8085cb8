package dev.shepherd.plugin.backend.openaihttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.backend.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

class OpenAiHttpBackendFactoryTest {

    private final OpenAiHttpBackendFactory factory = new OpenAiHttpBackendFactory();

    @Test
    void isNamedOpenAiHttpAndBindsItsConfigRecord() {
        assertThat(factory.name()).isEqualTo("openai_http");
        assertThat(factory.configType()).isEqualTo(OpenAiHttpBackendConfig.class);
        assertThat(factory.sensitiveKeys()).isEmpty();
        assertThat(factory.dependsOn()).isEmpty();
    }

    @Test
    void createsABackendThatClosesCleanly() {
        Backend backend = factory.create(OpenAiHttpBackendConfig.defaults(), TestPluginContext.lendingNothing());

        assertThat(backend).isInstanceOf(OpenAiHttpBackend.class);
        backend.close();
        backend.close();
    }

    @Test
    void isAnIndexedPf4jExtension() throws IOException {
        assertThat(OpenAiHttpBackendFactory.class.isAnnotationPresent(Extension.class)).isTrue();
        // Test classes have an (empty) index of their own: read every index on the class path.
        StringBuilder indexes = new StringBuilder();
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                indexes.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(indexes.toString()).as("PF4J's extension index").contains(OpenAiHttpBackendFactory.class.getName());
    }
}
