package dev.shepherd.sim;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * The door every inference request passes before the engine looks at it: applies the fault the
 * {@link FaultInjector} picks (crash, hang, 503, injected error) or lets the request proceed with the
 * fault settings it was judged by.
 */
final class FaultGate {

  private static final Logger LOG = LoggerFactory.getLogger(FaultGate.class);

  private final EngineRuntime engine;

  FaultGate(EngineRuntime engine) {
    this.engine = engine;
  }

  void pass(HttpServerExchange exchange, Consumer<FaultInjector.Decision> proceed) {
    FaultInjector.Decision decision = engine.faultInjector().decide();
    if (decision.lastBeforeDeath()) {
      exchange.addExchangeCompleteListener((done, next) -> {
        next.proceed();
        LOG.warn("die_after={} reached: the simulated engine crashes", decision.settings().dieAfter());
        engine.crash().run();
      });
    }
    switch (decision.verdict()) {
      case PROCEED -> proceed.accept(decision);
      case DIE_NOW -> {
        // a request arriving after the engine's last one finds it crashing: its connection just drops
        engine.crash().run();
        IoUtils.safeClose(exchange.getConnection());
      }
      case HANG -> engine.faultInjector().hold(exchange,
          () -> EndpointGuard.run(exchange, () -> proceed.accept(decision)));
      case UNAVAILABLE -> {
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER,
            decision.settings().unavailableRetryAfterSecs());
        HttpReplies.error(exchange, ApiError.unavailable());
      }
      case ERROR -> {
        engine.counters().injectedErrors.increment();
        HttpReplies.error(exchange, ApiError.injected(decision.settings().errorStatus()));
      }
    }
  }
}
