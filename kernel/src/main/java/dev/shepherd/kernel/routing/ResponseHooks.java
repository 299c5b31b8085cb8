package dev.shepherd.kernel.routing;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.middleware.HookResult;
import dev.shepherd.spi.middleware.Middleware;
import dev.shepherd.spi.middleware.ResponseView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Step 5' of the request path: the middleware's {@code onResponse} hooks over a worker's answer, in
 * reverse manifest order (the first on the way in is the last on the way out). Each hook sees the
 * changes of those before it; a {@link HookResult.Respond} replaces the answer and ends the chain.
 * Thread-safe; hooks complete on any thread.
 */
final class ResponseHooks {

    /** Largest non-streamed answer held back for the hooks; a larger one passes through untouched. */
    static final int MAX_BODY = 10 * 1024 * 1024;

    static final ResponseHooks NONE = new ResponseHooks(List.of());

    private final List<Middleware> reversed;

    ResponseHooks(List<Middleware> manifestOrder) {
        List<Middleware> copy = new ArrayList<>(manifestOrder);
        Collections.reverse(copy);
        this.reversed = List.copyOf(copy);
    }

    /** True when some middleware may look at answers (so non-streamed answers are held back for it). */
    boolean active() {
        return !reversed.isEmpty();
    }

    /** True when some middleware wants each event of a stream. */
    boolean wantsStreamEvents() {
        for (Middleware m : reversed) {
            if (m.wantsStreamEvents()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The answer after the hooks.
     *
     * @param view the final answer
     * @param replaced true when a hook answered instead of the worker (on a stream: end it)
     */
    record Outcome(ResponseView view, boolean replaced) {
    }

    CompletionStage<Outcome> run(GatewayRequest request, ResponseView response) {
        return next(request, response, 0);
    }

    private CompletionStage<Outcome> next(GatewayRequest request, ResponseView view, int index) {
        if (index == reversed.size()) {
            return CompletableFuture.completedFuture(new Outcome(view, false));
        }
        Middleware middleware = reversed.get(index);
        if (view.streamEvent() && !middleware.wantsStreamEvents()) {
            return next(request, view, index + 1);
        }
        CompletionStage<HookResult> stage;
        try {
            stage = middleware.onResponse(request, view);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return stage.thenCompose(result -> switch (result) {
            case HookResult.Continue c -> next(request, view, index + 1);
            case HookResult.Modify modify -> next(request, apply(view, modify), index + 1);
            case HookResult.Respond respond -> CompletableFuture.completedFuture(new Outcome(replacement(view, respond), true));
        });
    }

    static ResponseView apply(ResponseView view, HookResult.Modify modify) {
        Map<String, List<String>> headers = new LinkedHashMap<>(view.headers().values());
        modify.removeHeaders().forEach(name -> headers.remove(name.toLowerCase(Locale.ROOT)));
        modify.setHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), List.of(value)));
        return new ResponseView(modify.status() == null ? view.status() : modify.status(), new Headers(headers),
                modify.body() == null ? view.body() : modify.body(), view.streamEvent());
    }

    private static ResponseView replacement(ResponseView view, HookResult.Respond respond) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        respond.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), List.of(value)));
        headers.putIfAbsent("content-type", List.of("application/json"));
        return new ResponseView(respond.status(), new Headers(headers), respond.body(), view.streamEvent());
    }
}
