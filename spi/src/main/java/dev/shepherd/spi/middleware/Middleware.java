package dev.shepherd.spi.middleware;

import dev.shepherd.spi.GatewayRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A hook on the request path (see {@link MiddlewareFactory} for the order). Thread-safe. A hook
 * that may block or run long hops to the plugin context's blocking executor and completes the stage
 * later; a quick hook returns a completed stage.
 */
public interface Middleware {

    CompletionStage<HookResult> onRequest(GatewayRequest request);

    /**
     * Sees a non-streamed answer before it reaches the client. Streamed answers are passed through
     * untouched unless {@link #wantsStreamEvents()}.
     */
    default CompletionStage<HookResult> onResponse(GatewayRequest request, ResponseView response) {
        return CompletableFuture.completedFuture(HookResult.Continue.INSTANCE);
    }

    /** True when this middleware wants {@link #onResponse} called once per SSE event of a stream. */
    default boolean wantsStreamEvents() {
        return false;
    }
}
