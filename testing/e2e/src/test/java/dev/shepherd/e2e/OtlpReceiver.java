package dev.shepherd.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.shepherd.testkit.otlp.OtlpSpan;
import dev.shepherd.testkit.otlp.OtlpTraceDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP traces endpoint on loopback, as a collector would run it: takes
 * {@code POST /v1/traces} with an {@code application/x-protobuf} {@code ExportTraceServiceRequest},
 * decodes the spans with the test kit's {@link OtlpTraceDecoder} and keeps them for the test.
 */
final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<OtlpSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> faults = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String type = exchange.getRequestHeaders().getFirst("Content-Type");
                    if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/traces".equals(exchange.getRequestURI().getPath())
                            || !"application/x-protobuf".equals(type)) {
                        receiver.faults.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + type);
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    try {
                        receiver.spans.addAll(OtlpTraceDecoder.decode(body));
                        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                        exchange.sendResponseHeaders(200, -1);
                    } catch (RuntimeException e) {
                        receiver.faults.add("undecodable body: " + e);
                        exchange.sendResponseHeaders(400, -1);
                    }
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint as an operator writes it: {@code http://127.0.0.1:PORT}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<OtlpSpan> spans() {
        return List.copyOf(spans);
    }

    List<OtlpSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Requests that were not a well-formed OTLP/HTTP traces export. */
    List<String> faults() {
        return List.copyOf(faults);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
