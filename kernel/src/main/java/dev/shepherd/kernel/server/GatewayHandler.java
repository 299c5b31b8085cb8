package dev.shepherd.kernel.server;

import dev.shepherd.kernel.errors.ErrorResponder;
import dev.shepherd.kernel.errors.Errors;
import dev.shepherd.kernel.admission.AdmissionController;
import dev.shepherd.kernel.admission.AdmissionTicket;
import dev.shepherd.kernel.manifest.AdmissionSection;
import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.kernel.observe.RequestObserver;
import dev.shepherd.kernel.observe.RequestStart;
import dev.shepherd.kernel.routing.KernelGatewayRequest;
import dev.shepherd.kernel.routing.ProxiedRequestMarks;
import dev.shepherd.kernel.routing.Router;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.api.LocalResponse;
import dev.shepherd.spi.ParsedRequest;
import dev.shepherd.spi.middleware.HookResult;
import dev.shepherd.spi.middleware.Middleware;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root of the request path, on Undertow's I/O threads: request id, route match, admin check,
 * bounded body, then either the API's local answer or parse → middleware → route. Nothing here
 * blocks; asynchronous steps resume the exchange when they complete.
 */
final class GatewayHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
    private static final HttpString X_REQUEST_ID = new HttpString("x-request-id");
    private static final byte[] NO_BODY = new byte[0];
    private static final AttachmentKey<ObservedRequest> OBSERVED = AttachmentKey.create(ObservedRequest.class);

    private final RouteTable routes;
    private final RequestIds requestIds;
    private final AdminGuard adminGuard;
    private final long maxPayloadSize;
    private final Duration requestTimeout;
    private final List<Middleware> middleware;
    private final Router router;
    private final AdmissionController admission;
    private final RequestObserver observer;

    GatewayHandler(RouteTable routes, RequestIds requestIds, AdminGuard adminGuard, long maxPayloadSize,
                   Duration requestTimeout, List<Middleware> middleware, Router router, AdmissionController admission,
                   RequestObserver observer) {
        this.admission = admission;
        this.observer = observer;
        this.routes = routes;
        this.requestIds = requestIds;
        this.adminGuard = adminGuard;
        this.maxPayloadSize = maxPayloadSize;
        this.requestTimeout = requestTimeout;
        this.middleware = middleware;
        this.router = router;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long startNanos = System.nanoTime();
        String requestId = requestIds.resolve(exchange.getRequestHeaders());
        exchange.getResponseHeaders().put(X_REQUEST_ID, requestId);
        String method = exchange.getRequestMethod().toString();
        String path = exchange.getRequestPath();
        RouteTable.Match match = routes.match(method, path);
        ObservedRequest observed = observer.begin(new RequestStart(requestId, method, path,
                match instanceof RouteTable.Found f ? f.route().endpoint().path() : "unmatched",
                new Headers(new HeaderMapView(exchange.getRequestHeaders())), startNanos));
        if (observed != ObservedRequest.NONE) {
            exchange.putAttachment(OBSERVED, observed);
            exchange.addExchangeCompleteListener((ex, next) -> {
                observed.completed(ex.getAttachment(ProxiedRequestMarks.CLIENT_GONE) != null ? 499 : ex.getStatusCode(),
                        ex.getAttachment(ErrorResponder.ERROR_CODE));
                next.proceed();
            });
        }
        if (!(match instanceof RouteTable.Found found)) {
            reject(exchange, match instanceof RouteTable.WrongMethod
                    ? Errors.methodNotAllowed(method, path) : Errors.notFound(method, path));
            return;
        }
        Route route = found.route();
        if (route.admin()) {
            GatewayException denied = adminGuard.check(exchange.getRequestHeaders().getFirst("Authorization"));
            if (denied != null) {
                reject(exchange, denied);
                return;
            }
        }
        if (route.endpoint() instanceof Endpoint.Inference && !admission.unlimited()) {
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> admitThenRead(exchange, route, found.params(), requestId));
            return;
        }
        readThenHandle(exchange, route, found.params(), requestId, null);
    }

    /** Step 3: only admitted requests have their bodies read; the slot is freed when the exchange ends. */
    private void admitThenRead(HttpServerExchange exchange, Route route, Map<String, String> params, String requestId) {
        io.undertow.util.HeaderMap headers = exchange.getRequestHeaders();
        String tenant = admission.tenantOf(headers.getFirst(admission.tenantHeaderName()), "default");
        AdmissionSection.PriorityClass priorityClass = admission.classOf(headers.getFirst("x-smg-priority"));
        long askedNanos = System.nanoTime();
        admission.admit(tenant, priorityClass, exchange.getIoThread(), new AdmissionController.Outcome() {
            @Override
            public void admitted(AdmissionTicket ticket) {
                observed(exchange).admitted(tenant, priorityClass.name().toLowerCase(java.util.Locale.ROOT),
                        System.nanoTime() - askedNanos);
                exchange.addExchangeCompleteListener((ex, next) -> {
                    ticket.release();
                    next.proceed();
                });
                readThenHandle(exchange, route, params, requestId, ticket);
            }

            @Override
            public void rejected(GatewayException error) {
                reject(exchange, error, route);
            }
        });
    }

    private void readThenHandle(HttpServerExchange exchange, Route route, Map<String, String> params, String requestId,
                                AdmissionTicket ticket) {
        if (!route.readsBody()) {
            // Dispatching keeps the exchange open after this method returns, for answers that complete later.
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> handle(exchange, route, params, requestId, NO_BODY, ticket));
            return;
        }
        if (exchange.getRequestContentLength() > maxPayloadSize) {
            exchange.setPersistent(false);
            reject(exchange, Errors.payloadTooLarge(maxPayloadSize));
            return;
        }
        if (exchange.getRequestContentLength() < 0) {
            // A body without a length (chunked) is counted by the receiver, which reports it so the
            // client gets its 413; Undertow's own entity limit would just close the connection.
            exchange.getRequestReceiver().setMaxBufferSize((int) Math.min(Integer.MAX_VALUE, maxPayloadSize));
        } else {
            exchange.setMaxEntitySize(maxPayloadSize);
        }
        exchange.getRequestReceiver().receiveFullBytes(
                (ex, body) -> ex.dispatch(SameThreadExecutor.INSTANCE,
                        () -> handle(ex, route, params, requestId, body, ticket)),
                (ex, error) -> onBodyError(ex, error));
    }

    private void onBodyError(HttpServerExchange exchange, IOException error) {
        if (error instanceof RequestTooBigException || error instanceof Receiver.RequestToLargeException) {
            exchange.setPersistent(false);
            reject(exchange, Errors.payloadTooLarge(maxPayloadSize));
        } else {
            LOG.debug("could not read a request body: {}", error.toString());
            exchange.setPersistent(false);
            reject(exchange, GatewayException.badRequest("invalid_body", null, "Could not read the request body"));
        }
    }

    /** Step 4 with the request's ids in the logging context, so every line it logs carries them. */
    private void handle(HttpServerExchange exchange, Route route, Map<String, String> params, String requestId, byte[] body,
                        AdmissionTicket ticket) {
        ObservedRequest observed = observed(exchange);
        observed.enter();
        try {
            parseAndDispatch(exchange, route, params, requestId, body, ticket);
        } finally {
            observed.exit();
        }
    }

    private void parseAndDispatch(HttpServerExchange exchange, Route route, Map<String, String> params, String requestId,
                                  byte[] body, AdmissionTicket ticket) {
        Headers headers = new Headers(new HeaderMapView(exchange.getRequestHeaders()));
        IncomingRequest incoming = new IncomingRequest(requestId, exchange.getRequestMethod().toString(),
                exchange.getRequestPath(), exchange.getQueryString(), params, headers, body);
        try {
            switch (route.endpoint()) {
                case Endpoint.Local local -> answerLocally(exchange, route, local.handler().handle(incoming));
                case Endpoint.Inference inference -> {
                    ParsedRequest parsed = inference.parser().parse(incoming);
                    ObservedRequest observed = observed(exchange);
                    observed.parsed(parsed.model(), parsed.kind(), parsed.stream());
                    KernelGatewayRequest request = new KernelGatewayRequest(requestId, headers, parsed,
                            Instant.now().plus(requestTimeout));
                    request.setAdmission(ticket);
                    request.setObserved(observed);
                    if (middleware.isEmpty()) {
                        router.forward(exchange, request, route.api());
                    } else {
                        runMiddleware(exchange, route, request, 0);
                    }
                }
            }
        } catch (GatewayException e) {
            reject(exchange, e, route);
        } catch (RuntimeException e) {
            LOG.error("request {} failed in {} {}", requestId, route.endpoint().method(), route.endpoint().path(), e);
            reject(exchange, Errors.internal(e), route);
        }
    }

    /** Runs {@code onRequest} hooks in manifest order, then routes (or answers a hook's response). */
    private void runMiddleware(HttpServerExchange exchange, Route route, KernelGatewayRequest request, int index) {
        if (index == middleware.size()) {
            router.forward(exchange, request, route.api());
            return;
        }
        CompletionStage<HookResult> stage;
        try {
            stage = middleware.get(index).onRequest(request);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((result, failure) -> onIoThread(exchange, () -> {
            if (failure != null) {
                LOG.error("request {}: middleware {} failed", request.id(), index, failure);
                reject(exchange, Errors.internal(failure), route);
                return;
            }
            switch (result) {
                case HookResult.Continue c -> runMiddleware(exchange, route, request, index + 1);
                case HookResult.Respond respond -> answerLocally(exchange, route,
                        CompletableFuture.completedFuture(new LocalResponse(respond.status(),
                                respond.headers().getOrDefault("content-type", "application/json"), respond.headers(), respond.body())));
                case HookResult.Modify modify -> {
                    // Header changes reach later middleware and the worker (forwarded headers are built from these).
                    request.modifyHeaders(modify.setHeaders(), modify.removeHeaders());
                    if (modify.body() != null) {
                        Endpoint.Inference inference = (Endpoint.Inference) route.endpoint();
                        try {
                            request.replaceParsed(inference.parser().parse(new IncomingRequest(request.id(), "POST",
                                    inference.path(), "", Map.of(), request.headers(), modify.body())));
                        } catch (GatewayException e) {
                            reject(exchange, e, route);
                            return;
                        }
                    }
                    runMiddleware(exchange, route, request, index + 1);
                }
            }
        }));
    }

    private void answerLocally(HttpServerExchange exchange, Route route, CompletionStage<LocalResponse> answer) {
        answer.whenComplete((response, failure) -> onIoThread(exchange, () -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof GatewayException e) {
                    reject(exchange, e, route);
                } else {
                    LOG.error("{} {} failed", route.endpoint().method(), route.endpoint().path(), cause);
                    reject(exchange, Errors.internal(cause), route);
                }
                return;
            }
            exchange.setStatusCode(response.status());
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, response.contentType());
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
            exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
        }));
    }

    private static ObservedRequest observed(HttpServerExchange exchange) {
        ObservedRequest observed = exchange.getAttachment(OBSERVED);
        return observed == null ? ObservedRequest.NONE : observed;
    }

    /** Exchanges are not thread-safe: continue on the exchange's own I/O thread. */
    private static void onIoThread(HttpServerExchange exchange, Runnable task) {
        if (Thread.currentThread() == exchange.getIoThread()) {
            task.run();
        } else {
            exchange.getIoThread().execute(task);
        }
    }

    private void reject(HttpServerExchange exchange, GatewayException error) {
        ErrorResponder.send(exchange, error, null);
    }

    private void reject(HttpServerExchange exchange, GatewayException error, Route route) {
        ErrorResponder.send(exchange, error, route.api());
    }
}
