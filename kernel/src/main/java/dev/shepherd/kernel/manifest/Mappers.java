package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The two ways the kernel uses Jackson: strict binding of configuration, lenient everyday JSON. */
public final class Mappers {

    private static final ObjectMapper BINDING = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private static final ObjectMapper SHARED = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Mappers() {
    }

    /** Snake_case, unknown keys rejected: binds manifest sections and plugin configuration records. */
    public static ObjectMapper binding() {
        return BINDING;
    }

    /** Plain JSON for bodies and answers; unknown fields ignored. Handed to plugins. */
    public static ObjectMapper shared() {
        return SHARED;
    }
}
