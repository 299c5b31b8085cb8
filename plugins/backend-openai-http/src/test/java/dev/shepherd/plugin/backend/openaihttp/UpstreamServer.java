package dev.shepherd.plugin.backend.openaihttp;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.AttachmentKey;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on 127.0.0.1 standing in for an inference engine. It counts the connections
 * it accepted requests on and the requests each one carried, which is how tests see keep-alive.
 */
final class UpstreamServer implements AutoCloseable {

    private static final AttachmentKey<AtomicInteger> REQUESTS_ON_CONNECTION = AttachmentKey.create(AtomicInteger.class);

    private final Undertow undertow;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedConnections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    private UpstreamServer(PathHandler routes) {
        HttpHandler counting = exchange -> {
            requests.incrementAndGet();
            ServerConnection connection = exchange.getConnection();
            AtomicInteger onConnection = connection.getAttachment(REQUESTS_ON_CONNECTION);
            if (onConnection == null) {
                onConnection = new AtomicInteger();
                connection.putAttachment(REQUESTS_ON_CONNECTION, onConnection);
                connections.incrementAndGet();
                connection.addCloseListener(closed -> closedConnections.incrementAndGet());
            }
            onConnection.incrementAndGet();
            routes.handleRequest(exchange);
        };
        this.undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(8)
                .setHandler(counting)
                .build();
        undertow.start();
    }

    /** Starts a server answering the given exact paths. */
    static UpstreamServer start(Map<String, HttpHandler> routes) {
        PathHandler paths = new PathHandler();
        routes.forEach(paths::addExactPath);
        return new UpstreamServer(paths);
    }

    String url() {
        InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return "http://127.0.0.1:" + address.getPort();
    }

    /** Connections that carried at least one request. */
    int connections() {
        return connections.get();
    }

    /** Connections, among those that carried a request, that are closed now. */
    int closedConnections() {
        return closedConnections.get();
    }

    int requests() {
        return requests.get();
    }

    /** How many requests, counting this one, the exchange's connection has carried. */
    static int requestsOnConnectionOf(HttpServerExchange exchange) {
        return exchange.getConnection().getAttachment(REQUESTS_ON_CONNECTION).get();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
