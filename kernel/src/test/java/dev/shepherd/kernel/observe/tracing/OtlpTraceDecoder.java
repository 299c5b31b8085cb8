package dev.shepherd.kernel.observe.tracing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough protobuf to read an OTLP {@code ExportTraceServiceRequest} (opentelemetry-proto
 * {@code collector/trace/v1}, {@code trace/v1}, {@code common/v1}): every span's ids, name, kind,
 * string/int/bool/double attributes, event names and its resource's attributes.
 */
public final class OtlpTraceDecoder {

    /** One exported span. */
    public record ExportedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
                               Map<String, Object> attributes, List<String> events, Map<String, Object> resource) {
        public static final int KIND_SERVER = 2;
        public static final int KIND_CLIENT = 3;
    }

    private final byte[] data;
    private int pos;
    private final int end;

    private OtlpTraceDecoder(byte[] data, int from, int to) {
        this.data = data;
        this.pos = from;
        this.end = to;
    }

    /** The spans of one export request body. */
    public static List<ExportedSpan> decode(byte[] body) {
        List<ExportedSpan> spans = new ArrayList<>();
        OtlpTraceDecoder request = new OtlpTraceDecoder(body, 0, body.length);
        while (request.more()) {
            int tag = request.varint32();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                request.resourceSpans(request.message(), spans);
            } else {
                request.skip(tag);
            }
        }
        return spans;
    }

    private void resourceSpans(OtlpTraceDecoder rs, List<ExportedSpan> out) {
        Map<String, Object> resource = new LinkedHashMap<>();
        List<OtlpTraceDecoder> scopes = new ArrayList<>();
        while (rs.more()) {
            int tag = rs.varint32();
            int field = tag >>> 3;
            if (field == 1 && (tag & 7) == 2) {
                OtlpTraceDecoder r = rs.message();
                while (r.more()) {
                    int t = r.varint32();
                    if (t >>> 3 == 1 && (t & 7) == 2) {
                        r.keyValue(r.message(), resource);
                    } else {
                        r.skip(t);
                    }
                }
            } else if (field == 2 && (tag & 7) == 2) {
                scopes.add(rs.message());
            } else {
                rs.skip(tag);
            }
        }
        for (OtlpTraceDecoder scope : scopes) {
            while (scope.more()) {
                int tag = scope.varint32();
                if (tag >>> 3 == 2 && (tag & 7) == 2) {
                    out.add(span(scope.message(), resource));
                } else {
                    scope.skip(tag);
                }
            }
        }
    }

    private static ExportedSpan span(OtlpTraceDecoder s, Map<String, Object> resource) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<String> events = new ArrayList<>();
        while (s.more()) {
            int tag = s.varint32();
            int field = tag >>> 3;
            switch (field) {
                case 1 -> traceId = HexFormat.of().formatHex(s.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(s.bytes());
                case 4 -> parent = HexFormat.of().formatHex(s.bytes());
                case 5 -> name = new String(s.bytes(), StandardCharsets.UTF_8);
                case 6 -> kind = (int) s.varint64();
                case 9 -> s.keyValue(s.message(), attributes);
                case 11 -> {
                    OtlpTraceDecoder e = s.message();
                    while (e.more()) {
                        int t = e.varint32();
                        if (t >>> 3 == 2 && (t & 7) == 2) {
                            events.add(new String(e.bytes(), StandardCharsets.UTF_8));
                        } else {
                            e.skip(t);
                        }
                    }
                }
                default -> s.skip(tag);
            }
        }
        return new ExportedSpan(traceId, spanId, parent, name, kind, attributes, events, resource);
    }

    private void keyValue(OtlpTraceDecoder kv, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (kv.more()) {
            int tag = kv.varint32();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                key = new String(kv.bytes(), StandardCharsets.UTF_8);
            } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
                OtlpTraceDecoder any = kv.message();
                while (any.more()) {
                    int t = any.varint32();
                    switch (t >>> 3) {
                        case 1 -> value = new String(any.bytes(), StandardCharsets.UTF_8);
                        case 2 -> value = any.varint64() != 0;
                        case 3 -> value = any.varint64();
                        case 4 -> value = Double.longBitsToDouble(any.fixed64());
                        default -> any.skip(t);
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

    private boolean more() {
        return pos < end;
    }

    private int varint32() {
        return (int) varint64();
    }

    private long varint64() {
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

    private long fixed64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (data[pos++] & 0xffL) << (8 * i);
        }
        return v;
    }

    private byte[] bytes() {
        int length = varint32();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        out.write(data, pos, length);
        pos += length;
        return out.toByteArray();
    }

    private OtlpTraceDecoder message() {
        int length = varint32();
        OtlpTraceDecoder sub = new OtlpTraceDecoder(data, pos, pos + length);
        pos += length;
        return sub;
    }

    private void skip(int tag) {
        switch (tag & 7) {
            case 0 -> varint64();
            case 1 -> pos += 8;
            case 2 -> {
                int length = varint32(); // read first: pos += varint32() would add to the old pos
                pos += length;
            }
            case 5 -> pos += 4;
            default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
        }
    }
}
