package dev.shepherd.sim;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of optional JSON body fields; a field of the wrong type is a 400, as in vLLM. */
final class RequestFields {

  private RequestFields() {
  }

  static String optionalText(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiError.badRequest("'" + field + "' must be a string.", field);
    }
    return value.textValue();
  }

  static boolean optionalBoolean(JsonNode body, String field, boolean fallback) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw ApiError.badRequest("'" + field + "' must be a boolean.", field);
    }
    return value.booleanValue();
  }

  static int optionalInt(JsonNode body, String field, int fallback) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw ApiError.badRequest("'" + field + "' must be an integer.", field);
    }
    return value.intValue();
  }

  static double optionalDouble(JsonNode body, String field, double fallback) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw ApiError.badRequest("'" + field + "' must be a number.", field);
    }
    return value.doubleValue();
  }

  static long optionalLong(JsonNode body, String field, long fallback) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ApiError.badRequest("'" + field + "' must be an integer.", field);
    }
    return value.longValue();
  }
}
