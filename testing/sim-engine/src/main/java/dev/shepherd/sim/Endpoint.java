package dev.shepherd.sim;

import io.undertow.server.HttpServerExchange;

/**
 * One HTTP route's behaviour. Runs on the exchange's IO thread with the whole request body read; it
 * either answers before returning or keeps the exchange for a later answer (timers, queueing).
 */
@FunctionalInterface
interface Endpoint {
  void handle(HttpServerExchange exchange, byte[] body);
}
