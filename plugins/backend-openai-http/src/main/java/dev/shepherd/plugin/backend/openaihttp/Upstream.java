package dev.shepherd.plugin.backend.openaihttp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker base URL as the client addresses it, parsed once and reused by every call: the URI to
 * connect to, the {@code Host} header, the path prefix of a worker mounted below the root, and how
 * many of its connections sit idle in the pool (the pool's budget is per worker, over all threads).
 */
final class Upstream {

    private final String url;
    private final URI uri;
    private final String hostHeader;
    private final String pathPrefix;
    private final boolean secure;
    private final AtomicInteger idleConnections = new AtomicInteger();

    private Upstream(String url, URI uri, String hostHeader, String pathPrefix, boolean secure) {
        this.url = url;
        this.uri = uri;
        this.hostHeader = hostHeader;
        this.pathPrefix = pathPrefix;
        this.secure = secure;
    }

    /** Parses a worker base URL such as {@code http://gpu1:8000}; throws IllegalArgumentException if unusable. */
    static Upstream parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid worker url " + url + ": " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("worker url must be http or https: " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("worker url has no host: " + url);
        }
        String hostHeader = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        String pathPrefix = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        return new Upstream(url, uri, hostHeader, pathPrefix, scheme.equals("https"));
    }

    URI uri() {
        return uri;
    }

    String hostHeader() {
        return hostHeader;
    }

    /** The request path on the wire: the worker's own prefix, if any, then the API path. */
    String pathFor(String path) {
        return pathPrefix.isEmpty() ? path : pathPrefix + path;
    }

    boolean secure() {
        return secure;
    }

    /** Claims a place in the idle budget; false when {@code max} connections are idle already. */
    boolean tryReserveIdleSlot(int max) {
        int current;
        do {
            current = idleConnections.get();
            if (current >= max) {
                return false;
            }
        } while (!idleConnections.compareAndSet(current, current + 1));
        return true;
    }

    void freeIdleSlot() {
        idleConnections.decrementAndGet();
    }

    /** True when some connection to this worker may be idle: lets a call skip the pool lookup. */
    boolean mayHaveIdleConnections() {
        return idleConnections.get() > 0;
    }

    @Override
    public String toString() {
        return url;
    }
}
