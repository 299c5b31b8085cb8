package dev.shepherd.kernel.observe.tracing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where spans are sent: the OTLP/HTTP (protobuf) traces URL made from what an operator wrote.
 *
 * <ul>
 *   <li>SMG's {@code host:port} form ({@code collector:4318}, {@code [::1]:4318}) becomes
 *       {@code http://host:port/v1/traces}.</li>
 *   <li>A URL with no path ({@code http://collector:4318}, {@code https://otel.example}) gets
 *       {@code /v1/traces}.</li>
 *   <li>A URL with a path is used as written (a collector behind a prefix).</li>
 * </ul>
 * Shepherd speaks OTLP over HTTP, not gRPC: a collector's HTTP receiver listens on 4318 by default
 * (4317 is its gRPC receiver).
 */
public final class OtlpEndpoint {

    /** The path of the OTLP/HTTP traces service. */
    public static final String TRACES_PATH = "/v1/traces";

    private OtlpEndpoint() {
    }

    /**
     * The traces URL for {@code endpoint}.
     *
     * @throws IllegalArgumentException when it is neither {@code host:port} nor an http(s) URL
     */
    public static String tracesUrl(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("the OTLP traces endpoint is empty: give host:port or an http(s) URL");
        }
        String written = endpoint.strip();
        if (written.contains("://")) {
            return fromUrl(written);
        }
        return fromHostPort(written);
    }

    private static String fromUrl(String written) {
        URI uri;
        try {
            uri = new URI(written);
        } catch (URISyntaxException e) {
            throw invalid(written, e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(written, "the scheme must be http or https (Shepherd exports OTLP over HTTP)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(written, "no host");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw invalid(written, "no query or fragment is allowed");
        }
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            String base = written.endsWith("/") ? written.substring(0, written.length() - 1) : written;
            return base + TRACES_PATH;
        }
        return written;
    }

    private static String fromHostPort(String written) {
        int colon = written.lastIndexOf(':');
        if (colon <= 0 || colon == written.length() - 1) {
            throw invalid(written, "expected host:port");
        }
        String host = written.substring(0, colon);
        String port = written.substring(colon + 1);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw invalid(written, "write an IPv6 address in brackets: [::1]:4318");
        }
        if (host.contains("/") || host.contains("@") || host.isBlank()) {
            throw invalid(written, "expected host:port");
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw invalid(written, "the port is not a number");
        }
        if (number < 1 || number > 65535) {
            throw invalid(written, "the port must be 1-65535");
        }
        return "http://" + host + ":" + number + TRACES_PATH;
    }

    private static IllegalArgumentException invalid(String written, String why) {
        return new IllegalArgumentException("invalid OTLP traces endpoint '" + written + "': " + why
                + "; give host:port (http://host:port" + TRACES_PATH + ") or an http(s) URL");
    }
}
