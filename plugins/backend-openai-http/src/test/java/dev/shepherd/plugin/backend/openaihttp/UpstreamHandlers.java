package dev.shepherd.plugin.backend.openaihttp;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/** Behaviours of the stand-in engine, one per route, each the smallest server that shows one case. */
final class UpstreamHandlers {

    private UpstreamHandlers() {
    }

    /** Answers {@code ok}, keeping the connection alive. */
    static HttpHandler ok() {
        return exchange -> exchange.getResponseSender().send("ok");
    }

    /** Answers with a status and no body of interest. */
    static HttpHandler status(int status) {
        return exchange -> {
            exchange.setStatusCode(status);
            exchange.getResponseSender().send("status " + status);
        };
    }

    /** Answers a fixed JSON body. */
    static HttpHandler json(String body) {
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(body);
        };
    }

    /** Describes the request it got as JSON, with a custom response header. */
    static HttpHandler echo() {
        return exchange -> exchange.getRequestReceiver().receiveFullString((ex, body) -> {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            ex.getResponseHeaders().put(new HttpString("X-Engine-Name"), "stand-in");
            String json = "{\"method\":" + quote(ex.getRequestMethod().toString())
                    + ",\"path\":" + quote(ex.getRequestPath())
                    + ",\"host\":" + quote(ex.getRequestHeaders().getFirst(Headers.HOST))
                    + ",\"authorization\":" + quote(ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION))
                    + ",\"content_type\":" + quote(ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))
                    + ",\"content_length\":" + quote(ex.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH))
                    + ",\"request_id\":" + quote(ex.getRequestHeaders().getFirst("x-request-id"))
                    + ",\"body\":" + quote(body) + "}";
            ex.getResponseSender().send(json);
        });
    }

    /**
     * Streams {@code events} as server-sent events, writing and flushing event {@code i} only once
     * {@code gates[i]} is complete: tests open the gates as the client receives events, which proves
     * each event reached the client before the next one existed.
     */
    static HttpHandler gatedEvents(List<String> events, List<CompletableFuture<Void>> gates) {
        return exchange -> exchange.dispatch(() -> {
            try {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
                exchange.startBlocking();
                OutputStream out = exchange.getOutputStream();
                for (int i = 0; i < events.size(); i++) {
                    gates.get(i).get(30, TimeUnit.SECONDS);
                    out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.close();
            } catch (Exception e) {
                IoUtils.safeClose(exchange.getConnection());
            }
        });
    }

    /** Answers {@code ok} and then closes the connection, as a worker whose keep-alive timer fired. */
    static HttpHandler okThenClose() {
        return exchange -> exchange.dispatch(() -> {
            try {
                exchange.startBlocking();
                OutputStream out = exchange.getOutputStream();
                out.write("ok".getBytes(StandardCharsets.UTF_8));
                out.close();
            } catch (Exception e) {
                // closed below either way
            } finally {
                IoUtils.safeClose(exchange.getConnection());
            }
        });
    }

    /**
     * Answers the first request of a connection; closes the connection without a byte of answer on
     * any later one: the keep-alive race as the client sees it.
     */
    static HttpHandler dropOnReusedConnection() {
        return exchange -> {
            if (UpstreamServer.requestsOnConnectionOf(exchange) > 1) {
                IoUtils.safeClose(exchange.getConnection());
                return;
            }
            exchange.getResponseSender().send("ok");
        };
    }

    /** Closes every connection it gets a request on, without answering. */
    static HttpHandler dropAlways() {
        return exchange -> IoUtils.safeClose(exchange.getConnection());
    }

    /** Promises {@code declaredLength} bytes, sends {@code sent}, then drops the connection. */
    static HttpHandler truncatedBody(long declaredLength, String sent) {
        return exchange -> exchange.dispatch(() -> {
            try {
                if (declaredLength >= 0) {
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, declaredLength);
                }
                exchange.startBlocking();
                OutputStream out = exchange.getOutputStream();
                out.write(sent.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (Exception e) {
                // dropped below either way
            } finally {
                IoUtils.safeClose(exchange.getConnection());
            }
        });
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
