package dev.shepherd.kernel.observe.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the registry in Prometheus text format 0.0.4. Rendering runs on a worker
 * thread, never on an I/O thread.
 */
public final class ScrapeHandler implements HttpHandler {

    /** The exposition format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    ScrapeHandler(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!"/metrics".equals(exchange.getRequestPath())) {
            exchange.setStatusCode(404);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send("Not found: metrics are at /metrics\n");
            return;
        }
        if (!Methods.GET.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(exchange.getRequestMethod())) {
            exchange.setStatusCode(405);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.endExchange();
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
