package dev.shepherd.sim;

import dev.shepherd.sim.GenerationRequest.Api;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xnio.IoUtils;

/**
 * The root handler: looks the path up in a fixed route table, records the request in {@link SimStats},
 * reads a POST body without blocking, and runs the route's {@link Endpoint} on the IO thread.
 *
 * <p>POST endpoints run as a same-thread dispatch task, so Undertow does not end the exchange when the
 * handler returns: endpoints may answer later from a timer or after queueing.
 */
final class SimHttpHandler implements HttpHandler {

  private static final HttpString X_REQUEST_ID = HttpString.tryFromString("x-request-id");
  private static final byte[] NO_BODY = new byte[0];

  private record Route(String path, boolean inference, Set<HttpString> methods, Endpoint endpoint) {
  }

  private final SimStats stats;
  private final Map<String, Route> routes = new HashMap<>();

  SimHttpHandler(EngineRuntime engine) {
    this.stats = engine.stats();
    FaultGate faultGate = new FaultGate(engine);
    InfoEndpoints info = new InfoEndpoints(engine);
    SimControlEndpoints control = new SimControlEndpoints(engine);
    Set<HttpString> get = Set.of(Methods.GET);
    Set<HttpString> post = Set.of(Methods.POST);

    inference("/v1/chat/completions", new GenerationEndpoint(engine, faultGate, Api.CHAT,
        new ChatCompletionRenderer()));
    inference("/v1/completions", new GenerationEndpoint(engine, faultGate, Api.COMPLETION,
        new TextCompletionRenderer()));
    inference("/generate", new GenerationEndpoint(engine, faultGate, Api.GENERATE, new SglangGenerateRenderer()));
    inference("/v1/embeddings", new EmbeddingEndpoint(engine, faultGate));

    route("/health", get, info::health);
    route("/health_generate", get, info::health);
    route("/v1/models", get, info::models);
    route("/get_model_info", get, info::modelInfo);
    route("/get_server_info", get, info::serverInfo);
    route("/get_load", get, info::load);
    route("/metrics", get, info::metrics);
    route("/flush_cache", Set.of(Methods.POST, Methods.GET), info::flushCache);
    route("/sim/faults", Set.of(Methods.GET, Methods.POST), (exchange, body) -> {
      if (exchange.getRequestMethod().equals(Methods.GET)) {
        control.faults(exchange, body);
      } else {
        control.updateFaults(exchange, body);
      }
    });
    route("/sim/reset", post, control::reset);
    route("/sim/stats", get, control::stats);
  }

  private static final String WORKER_ALIAS = "/w/";

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String requestId = exchange.getRequestHeaders().getFirst(X_REQUEST_ID);
    if (requestId != null) {
      exchange.getResponseHeaders().put(X_REQUEST_ID, requestId);
    }
    Route route = routes.get(withoutWorkerAlias(exchange.getRequestPath()));
    if (route == null) {
      stats.record(SimStats.OTHER_ROUTE, false, recorded(exchange, NO_BODY));
      HttpReplies.error(exchange, ApiError.routeNotFound(exchange.getRequestPath()));
      return;
    }
    if (!route.methods().contains(exchange.getRequestMethod())) {
      stats.record(route.path(), false, recorded(exchange, NO_BODY));
      HttpReplies.error(exchange, ApiError.methodNotAllowed(exchange.getRequestMethod().toString(), route.path()));
      return;
    }
    if (exchange.getRequestMethod().equals(Methods.POST)) {
      exchange.getRequestReceiver().receiveFullBytes(
          (received, body) -> received.dispatch(SameThreadExecutor.INSTANCE, () -> run(route, received, body)),
          (failed, error) -> IoUtils.safeClose(failed.getConnection()));
    } else {
      run(route, exchange, NO_BODY);
    }
  }

  /**
   * One engine can stand for many workers: {@code /w/<name>/v1/chat/completions} is served as
   * {@code /v1/chat/completions}, so thousands of distinct worker URLs ({@code http://host:port/w/<n>})
   * can share one engine process in fleet-scale benchmarks.
   */
  static String withoutWorkerAlias(String path) {
    if (!path.startsWith(WORKER_ALIAS)) {
      return path;
    }
    int end = path.indexOf('/', WORKER_ALIAS.length());
    return end < 0 ? "/" : path.substring(end);
  }

  private void run(Route route, HttpServerExchange exchange, byte[] body) {
    stats.record(route.path(), route.inference(), recorded(exchange, body));
    EndpointGuard.run(exchange, () -> route.endpoint().handle(exchange, body));
  }

  private void inference(String path, Endpoint endpoint) {
    routes.put(path, new Route(path, true, Set.of(Methods.POST), endpoint));
  }

  private void route(String path, Set<HttpString> methods, Endpoint endpoint) {
    routes.put(path, new Route(path, false, methods, endpoint));
  }

  private static RecordedRequest recorded(HttpServerExchange exchange, byte[] body) {
    Map<String, List<String>> headers = new HashMap<>();
    for (HeaderValues values : exchange.getRequestHeaders()) {
      headers.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(values));
    }
    return new RecordedRequest(exchange.getRequestMethod().toString(), exchange.getRequestPath(),
        exchange.getQueryString(), headers, body, System.currentTimeMillis());
  }
}
