package dev.shepherd.sim;

/**
 * A request the engine refuses, carrying what the OpenAI-shaped error body needs:
 * {@code {"error":{"message","type","code","param"}}}. Thrown while parsing and caught at the edge.
 */
final class ApiError extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;
  private final String param;

  ApiError(int status, String type, String code, String message, String param) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
  }

  static ApiError badRequest(String message) {
    return badRequest(message, null);
  }

  static ApiError badRequest(String message, String param) {
    return new ApiError(400, "invalid_request_error", "invalid_request", message, param);
  }

  static ApiError modelNotFound(String model) {
    return new ApiError(404, "invalid_request_error", "model_not_found",
        "The model `" + model + "` does not exist.", "model");
  }

  static ApiError routeNotFound(String path) {
    return new ApiError(404, "invalid_request_error", "not_found", "No route for " + path + ".", null);
  }

  static ApiError methodNotAllowed(String method, String path) {
    return new ApiError(405, "invalid_request_error", "method_not_allowed",
        "Method " + method + " is not allowed on " + path + ".", null);
  }

  /** The body of an error injected by the error-rate fault. */
  static ApiError injected(int status) {
    return new ApiError(status, status >= 500 ? "server_error" : "invalid_request_error",
        "sim_injected_error", "Injected fault: the simulated engine answered " + status + ".", null);
  }

  static ApiError unavailable() {
    return new ApiError(503, "server_error", "service_unavailable",
        "The simulated engine is unavailable; retry later.", null);
  }

  static ApiError internal(String message) {
    return new ApiError(500, "server_error", "internal_error", message, null);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  String code() {
    return code;
  }

  String param() {
    return param;
  }
}
