package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.Headers;
import dev.shepherd.spi.backend.UpstreamRequest;
import io.undertow.client.ClientRequest;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Translates between the SPI's request and headers and Undertow's client messages. */
final class HttpMessageMapping {

    /**
     * Hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection, and the connection
     * to the worker is the backend's own, with its own keep-alive and framing.
     */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    /** Request headers never forwarded: hop-by-hop ones and those the client sets for this worker. */
    private static final Set<String> NOT_FORWARDED;

    static {
        Set<String> names = new HashSet<>(HOP_BY_HOP);
        names.addAll(Set.of("host", "content-length", "expect"));
        NOT_FORWARDED = Set.copyOf(names);
    }

    private static final HttpString AUTHORIZATION = io.undertow.util.Headers.AUTHORIZATION;
    private static final String JSON = "application/json";

    private HttpMessageMapping() {
    }

    /**
     * The request line and headers to send: the forwarded headers, then {@code Host},
     * {@code Content-Length}, a JSON {@code Content-Type} unless one was forwarded, and the worker's
     * bearer key, which replaces any client {@code Authorization}.
     */
    static ClientRequest toClientRequest(Upstream upstream, UpstreamRequest request, Optional<String> apiKey) {
        ClientRequest clientRequest = new ClientRequest()
                .setMethod(HttpString.tryFromString(request.method()))
                .setPath(upstream.pathFor(request.path()));
        HeaderMap headers = clientRequest.getRequestHeaders();
        if (request.headers() != null) {
            for (Map.Entry<String, List<String>> header : request.headers().values().entrySet()) {
                String name = header.getKey().toLowerCase(Locale.ROOT);
                if (NOT_FORWARDED.contains(name) || (apiKey.isPresent() && name.equals("authorization"))) {
                    continue;
                }
                headers.addAll(HttpString.tryFromString(name), header.getValue());
            }
        }
        headers.put(io.undertow.util.Headers.HOST, upstream.hostHeader());
        int bodyLength = request.body() == null ? 0 : request.body().length;
        if (bodyLength > 0 || sendsBody(request.method())) {
            headers.put(io.undertow.util.Headers.CONTENT_LENGTH, bodyLength);
            if (!headers.contains(io.undertow.util.Headers.CONTENT_TYPE)) {
                headers.put(io.undertow.util.Headers.CONTENT_TYPE, JSON);
            }
        }
        apiKey.ifPresent(key -> headers.put(AUTHORIZATION, "Bearer " + key));
        return clientRequest;
    }

    private static boolean sendsBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * The worker's response headers with lower-case names, minus those that describe the upstream
     * connection (including any the {@code Connection} header names): the gateway's own connection
     * to its client has its own.
     */
    static Headers toHeaders(HeaderMap responseHeaders) {
        Set<String> alsoConnectionScoped = connectionNamedHeaders(responseHeaders);
        Map<String, List<String>> values = HashMap.newHashMap(responseHeaders.size());
        for (HeaderValues header : responseHeaders) {
            String name = header.getHeaderName().toString().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || alsoConnectionScoped.contains(name)) {
                continue;
            }
            values.put(name, header.size() == 1 ? List.of(header.getFirst()) : List.copyOf(header));
        }
        return new Headers(Collections.unmodifiableMap(values));
    }

    private static Set<String> connectionNamedHeaders(HeaderMap responseHeaders) {
        HeaderValues connection = responseHeaders.get(io.undertow.util.Headers.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String value : connection) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("close") && !name.equals("keep-alive")) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
