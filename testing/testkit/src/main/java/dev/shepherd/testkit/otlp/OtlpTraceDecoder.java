package dev.shepherd.testkit.otlp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough protobuf to read an OTLP {@code ExportTraceServiceRequest} (opentelemetry-proto
 * {@code collector/trace/v1}, {@code trace/v1}, {@code common/v1}): every span's ids, name, kind,
 * string/int/bool/double attributes, event names and its resource's attributes. Hand-written so
 * that tests check the exporter's wire format without depending on the proto classes they test.
 *
 * <p>The messages read: {@code ExportTraceServiceRequest{1: ResourceSpans}};
 * {@code ResourceSpans{1: Resource{1: KeyValue}, 2: ScopeSpans{2: Span}}};
 * {@code Span{1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 9 KeyValue, 11 Event{2 name}}};
 * {@code KeyValue{1 key, 2 AnyValue{1 string, 2 bool, 3 int, 4 double}}}. Any other field is skipped.
 */
public final class OtlpTraceDecoder {

    private OtlpTraceDecoder() {
    }

    /**
     * The spans of one export request body, in the order they were sent.
     *
     * @throws RuntimeException when the body is not well-formed protobuf
     */
    public static List<OtlpSpan> decode(byte[] body) {
        List<OtlpSpan> out = new ArrayList<>();
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

    private static void resourceSpans(Reader rs, List<OtlpSpan> out) {
        Map<String, Object> resource = new LinkedHashMap<>();
        // The resource may follow its scopes on the wire: read it first, then the spans.
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

    private static OtlpSpan span(Reader s, Map<String, Object> resource) {
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
                eventNames(s.message(), events);
            } else {
                s.skip(tag);
            }
        }
        return new OtlpSpan(traceId, spanId, parent, name, kind, attributes, events, resource);
    }

    private static void eventNames(Reader e, List<String> into) {
        while (e.more()) {
            int t = e.tag();
            if (t == field(2, 2)) {
                into.add(new String(e.bytes(), StandardCharsets.UTF_8));
            } else {
                e.skip(t);
            }
        }
    }

    private static void keyValue(Reader kv, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (kv.more()) {
            int tag = kv.tag();
            if (tag == field(1, 2)) {
                key = new String(kv.bytes(), StandardCharsets.UTF_8);
            } else if (tag == field(2, 2)) {
                value = anyValue(kv.message());
            } else {
                kv.skip(tag);
            }
        }
        if (key != null) {
            into.put(key, value);
        }
    }

    private static Object anyValue(Reader any) {
        Object value = null;
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
        return value;
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
            int length = length();
            byte[] copy = Arrays.copyOfRange(data, pos, pos + length);
            pos += length;
            return copy;
        }

        Reader message() {
            int length = length();
            Reader sub = new Reader(data, pos, pos + length);
            pos += length;
            return sub;
        }

        /** A length prefix, checked against this slice: a truncated body must fail, not read zeros. */
        private int length() {
            int length = (int) varint();
            if (length < 0 || length > end - pos) {
                throw new IllegalArgumentException("length " + length + " past the end of the message");
            }
            return length;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int length = (int) varint(); // read first: pos += varint() would add to the old pos
                    pos += length;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
