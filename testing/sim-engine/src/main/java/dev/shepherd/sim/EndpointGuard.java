package dev.shepherd.sim;

import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs endpoint code so that refusals become OpenAI-shaped errors and bugs become logged 500s. */
final class EndpointGuard {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointGuard.class);

  private EndpointGuard() {
  }

  static void run(HttpServerExchange exchange, Runnable action) {
    try {
      action.run();
    } catch (ApiError error) {
      HttpReplies.error(exchange, error);
    } catch (RuntimeException e) {
      LOG.error("Endpoint {} failed", exchange.getRequestPath(), e);
      HttpReplies.error(exchange, ApiError.internal("Internal error: " + e));
    }
  }
}
