package dev.shepherd.plugin.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** Binding the {@code apis: openai:} section the way the kernel binds manifest sections. */
class OpenAiApiConfigTest {

    private static final ObjectMapper MANIFEST_MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Test
    void emptySectionBindsTheDefaults() throws Exception {
        OpenAiApiConfig config = MANIFEST_MAPPER.readValue("{}", OpenAiApiConfig.class);
        assertThat(config).isEqualTo(OpenAiApiConfig.defaults());
        assertThat(config.ownedBy()).isEqualTo("shepherd");
    }

    @Test
    void bindsEveryKey() throws Exception {
        OpenAiApiConfig config = MANIFEST_MAPPER.readValue("{\"owned_by\":\"acme\"}", OpenAiApiConfig.class);
        assertThat(config.ownedBy()).isEqualTo("acme");
    }

    @Test
    void rejectsUnknownKeys() {
        assertThatThrownBy(() -> MANIFEST_MAPPER.readValue("{\"owned_by\":\"acme\",\"ownd_by\":\"x\"}", OpenAiApiConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("ownd_by");
    }

    @Test
    void rejectsTheCamelCaseSpelling() {
        assertThatThrownBy(() -> MANIFEST_MAPPER.readValue("{\"ownedBy\":\"acme\"}", OpenAiApiConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void rejectsABlankOwner() {
        assertThatThrownBy(() -> MANIFEST_MAPPER.readValue("{\"owned_by\":\" \"}", OpenAiApiConfig.class))
                .isInstanceOf(ValueInstantiationException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessage("owned_by must not be blank");
    }
}
