package dev.shepherd.sim;

import io.undertow.server.HttpServerExchange;

/** {@code /v1/chat/completions}, {@code /v1/completions} and {@code /generate}: fault gate, parse, batch. */
final class GenerationEndpoint implements Endpoint {

  private final EngineRuntime engine;
  private final FaultGate faultGate;
  private final GenerationRequest.Api api;
  private final ResponseRenderer renderer;

  GenerationEndpoint(EngineRuntime engine, FaultGate faultGate, GenerationRequest.Api api,
      ResponseRenderer renderer) {
    this.engine = engine;
    this.faultGate = faultGate;
    this.api = api;
    this.renderer = renderer;
  }

  @Override
  public void handle(HttpServerExchange exchange, byte[] body) {
    faultGate.pass(exchange, decision -> {
      GenerationRequest request = engine.parser().parse(api, JsonCodec.parseObject(body));
      engine.scheduler().submit(new Generation(engine, exchange, request, renderer, decision));
    });
  }
}
