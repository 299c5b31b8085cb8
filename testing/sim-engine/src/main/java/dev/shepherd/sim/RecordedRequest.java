package dev.shepherd.sim;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request as the engine received it, kept so tests can check what the gateway forwarded (which
 * headers, which body).
 *
 * @param method HTTP method
 * @param path request path without query
 * @param query query string, empty when none
 * @param headers header names in lower case, values in arrival order
 * @param body raw body bytes (a copy is returned)
 * @param receivedAtEpochMillis arrival time
 */
public record RecordedRequest(
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    byte[] body,
    long receivedAtEpochMillis) {

  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = query == null ? "" : query;
    headers = Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** First value of a header (case-insensitive name), or null when absent. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " headers=" + headers
        + " body=" + bodyText();
  }
}
