package dev.shepherd.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP traces endpoint on loopback, as a collector would run it: takes
 * {@code POST /v1/traces} with an {@code application/x-protobuf} {@code ExportTraceServiceRequest},
 * decodes the spans (a minimal protobuf reader for opentelemetry-proto's trace messages: ids, name,
 * kind, attributes, event names, resource attributes) and keeps them for the test.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span. {@code kind}: 1 internal, 2 server, 3 client. */
    record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
                        Map<String, Object> attributes, List<String> events, Map<String, Object> resource) {
        static final int SERVER = 2;
        static final int CLIENT = 3;

        Object attribute(String key) {
            return attributes.get(key);
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
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
                        receiver.spans.addAll(decode(body));
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

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    List<ReceivedSpan> trace(String traceId) {
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

    // --- protobuf: ExportTraceServiceRequest{1: ResourceSpans}; ResourceSpans{1: Resource{1: KeyValue},
    // 2: ScopeSpans{2: Span}}; Span{1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 9 KeyValue,
    // 11 Event{2 name}}; KeyValue{1 key, 2 AnyValue{1 string, 2 bool, 3 int, 4 double}}.

    static List<ReceivedSpan> decode(byte[] body) {
        List<ReceivedSpan> out = new ArrayList<>();
        Reader request = new Reader(body, 0, body.length);
        while (request.more()) {
            int tag = request.tag();
            if (tag == field(1, 2)) {
                resourceSpans(request.message(), out);
            } else {
                request.skip(tag);
            }
        }
        return out;
    }

    private static int field(int number, int wireType) {
        return number << 3 | wireType;
    }

    private static void resourceSpans(Reader rs, List<ReceivedSpan> out) {
        Map<String, Object> resource = new LinkedHashMap<>();
        List<Reader> scopes = new ArrayList<>();
        while (rs.more()) {
            int tag = rs.tag();
            if (tag == field(1, 2)) {
                Reader r = rs.message();
                while (r.more()) {
                    int t = r.tag();
                    if (t == field(1, 2)) {
                        keyValue(r.message(), resource);
                    } else {
                        r.skip(t);
                    }
                }
            } else if (tag == field(2, 2)) {
                scopes.add(rs.message());
            } else {
                rs.skip(tag);
            }
        }
        for (Reader scope : scopes) {
            while (scope.more()) {
                int tag = scope.tag();
                if (tag == field(2, 2)) {
                    out.add(span(scope.message(), resource));
                } else {
                    scope.skip(tag);
                }
            }
        }
    }

    private static ReceivedSpan span(Reader s, Map<String, Object> resource) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<String> events = new ArrayList<>();
        while (s.more()) {
            int tag = s.tag();
            if (tag == field(1, 2)) {
                traceId = HexFormat.of().formatHex(s.bytes());
            } else if (tag == field(2, 2)) {
                spanId = HexFormat.of().formatHex(s.bytes());
            } else if (tag == field(4, 2)) {
                parent = HexFormat.of().formatHex(s.bytes());
            } else if (tag == field(5, 2)) {
                name = new String(s.bytes(), StandardCharsets.UTF_8);
            } else if (tag == field(6, 0)) {
                kind = (int) s.varint();
            } else if (tag == field(9, 2)) {
                keyValue(s.message(), attributes);
            } else if (tag == field(11, 2)) {
                Reader e = s.message();
                while (e.more()) {
                    int t = e.tag();
                    if (t == field(2, 2)) {
                        events.add(new String(e.bytes(), StandardCharsets.UTF_8));
                    } else {
                        e.skip(t);
                    }
                }
            } else {
                s.skip(tag);
            }
        }
        return new ReceivedSpan(traceId, spanId, parent, name, kind, attributes, events, resource);
    }

    private static void keyValue(Reader kv, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (kv.more()) {
            int tag = kv.tag();
            if (tag == field(1, 2)) {
                key = new String(kv.bytes(), StandardCharsets.UTF_8);
            } else if (tag == field(2, 2)) {
                Reader any = kv.message();
                while (any.more()) {
                    int t = any.tag();
                    if (t == field(1, 2)) {
                        value = new String(any.bytes(), StandardCharsets.UTF_8);
                    } else if (t == field(2, 0)) {
                        value = any.varint() != 0;
                    } else if (t == field(3, 0)) {
                        value = any.varint();
                    } else if (t == field(4, 1)) {
                        value = Double.longBitsToDouble(any.fixed64());
                    } else {
                        any.skip(t);
                    }
                }
            } else {
                kv.skip(tag);
            }
        }
        if (key != null) {
            into.put(key, value);
        }
    }

    /** A protobuf wire-format reader over a slice of bytes. */
    private static final class Reader {
        private final byte[] data;
        private final int end;
        private int pos;

        Reader(byte[] data, int from, int to) {
            this.data = data;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = data[pos++];
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        long fixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (data[pos++] & 0xffL) << (8 * i);
            }
            return v;
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] copy = java.util.Arrays.copyOfRange(data, pos, pos + length);
            pos += length;
            return copy;
        }

        Reader message() {
            int length = (int) varint();
            Reader sub = new Reader(data, pos, pos + length);
            pos += length;
            return sub;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int length = (int) varint();
                    pos += length;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
