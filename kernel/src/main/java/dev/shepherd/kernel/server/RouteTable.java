package dev.shepherd.kernel.server;

import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a method and path to a route: exact paths by one hash lookup, then the few template paths
 * ({@code /workers/{id}}) segment by segment. Built once at start-up; read-only afterwards.
 */
final class RouteTable {

    private final Map<String, Route> exact = new HashMap<>();
    private final Set<String> exactPaths = new HashSet<>();
    private final List<Template> templates = new ArrayList<>();

    /** @throws IllegalStateException when two endpoints claim the same method and path */
    void add(Api api, Endpoint endpoint) {
        Route route = new Route(api, endpoint);
        if (endpoint.path().contains("{")) {
            for (Template t : templates) {
                if (t.route.endpoint().method().equals(endpoint.method()) && t.route.endpoint().path().equals(endpoint.path())) {
                    throw new IllegalStateException("two endpoints claim " + endpoint.method() + " " + endpoint.path());
                }
            }
            templates.add(new Template(route, endpoint.path().substring(1).split("/")));
            return;
        }
        if (exact.putIfAbsent(key(endpoint.method(), endpoint.path()), route) != null) {
            throw new IllegalStateException("two endpoints claim " + endpoint.method() + " " + endpoint.path());
        }
        exactPaths.add(endpoint.path());
    }

    /** The outcome of a lookup: a closed set. */
    sealed interface Match {
    }

    record Found(Route route, Map<String, String> params) implements Match {
    }

    /** The path exists, but not for this method. */
    record WrongMethod() implements Match {
    }

    record Missing() implements Match {
    }

    Match match(String method, String path) {
        Route route = exact.get(key(method, path));
        if (route != null) {
            return new Found(route, Map.of());
        }
        boolean pathKnown = exactPaths.contains(path);
        if (!templates.isEmpty()) {
            String[] segments = path.length() > 1 ? path.substring(1).split("/") : new String[0];
            for (Template t : templates) {
                Map<String, String> params = t.bind(segments);
                if (params != null) {
                    if (t.route.endpoint().method().equals(method)) {
                        return new Found(t.route, params);
                    }
                    pathKnown = true;
                }
            }
        }
        return pathKnown ? new WrongMethod() : new Missing();
    }

    private static String key(String method, String path) {
        return method + ' ' + path;
    }

    private record Template(Route route, String[] segments) {
        Map<String, String> bind(String[] actual) {
            if (actual.length != segments.length) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    if (actual[i].isEmpty()) {
                        return null;
                    }
                    params.put(s.substring(1, s.length() - 1), actual[i]);
                } else if (!s.equals(actual[i])) {
                    return null;
                }
            }
            return params;
        }
    }
}
