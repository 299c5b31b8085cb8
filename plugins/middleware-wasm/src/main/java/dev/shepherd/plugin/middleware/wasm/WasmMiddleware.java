package dev.shepherd.plugin.middleware.wasm;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.middleware.HookResult;
import dev.shepherd.spi.middleware.Middleware;
import dev.shepherd.spi.middleware.ResponseView;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The WASM modules as one link of the kernel's middleware chain. Guest code never runs on the calling
 * (I/O) thread: the whole chain of a hook hops to one virtual thread. A hook no module is attached to
 * answers at once, without the hop.
 */
final class WasmMiddleware implements Middleware, AutoCloseable {

    private static final CompletableFuture<HookResult> CONTINUE = CompletableFuture.completedFuture(HookResult.Continue.INSTANCE);

    private final ModuleRegistry registry;
    private final HookChain chain;
    private final Executor guestThreads;
    private final Runnable onClose;

    WasmMiddleware(ModuleRegistry registry, HookChain chain, Executor guestThreads, Runnable onClose) {
        this.registry = registry;
        this.chain = chain;
        this.guestThreads = guestThreads;
        this.onClose = onClose;
    }

    @Override
    public CompletionStage<HookResult> onRequest(GatewayRequest request) {
        if (!registry.anyAttached(Hook.ON_REQUEST)) {
            return CONTINUE;
        }
        List<LoadedModule> modules = registry.modules();
        return CompletableFuture.supplyAsync(() -> chain.onRequest(modules, request), guestThreads);
    }

    @Override
    public CompletionStage<HookResult> onResponse(GatewayRequest request, ResponseView response) {
        if (!registry.anyAttached(Hook.ON_RESPONSE)) {
            return CONTINUE;
        }
        List<LoadedModule> modules = registry.modules();
        return CompletableFuture.supplyAsync(() -> chain.onResponse(modules, request, response), guestThreads);
    }

    @Override
    public boolean wantsStreamEvents() {
        for (LoadedModule module : registry.modules()) {
            if (module.streamEvents() && module.attachedTo(Hook.ON_RESPONSE)) {
                return true;
            }
        }
        return false;
    }

    ModuleRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        onClose.run();
        registry.clear();
    }
}
