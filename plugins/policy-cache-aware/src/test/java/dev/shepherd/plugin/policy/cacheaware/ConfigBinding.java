package dev.shepherd.plugin.policy.cacheaware;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * Binds a manifest section the way the kernel does: snake_case keys onto record components, unknown
 * keys rejected, defaults and validation in the record's compact constructor.
 */
final class ConfigBinding {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigBinding() {
    }

    /** Binds {@code json}, written with single quotes for readability, to {@code type}. */
    static <C> C bind(String json, Class<C> type) throws JsonProcessingException {
        return MAPPER.readValue(json.replace('\'', '"'), type);
    }
}
