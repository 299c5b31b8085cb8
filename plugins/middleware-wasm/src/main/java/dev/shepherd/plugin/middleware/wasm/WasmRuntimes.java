package dev.shepherd.plugin.middleware.wasm;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connects the admin routes to the module registry. Both are products of this plugin but are created
 * separately by the kernel (APIs before middleware), so the registry is published here when the
 * {@code wasm} middleware is created and withdrawn when it closes.
 */
final class WasmRuntimes {

    private static final AtomicReference<ModuleRegistry> CURRENT = new AtomicReference<>();

    private WasmRuntimes() {
    }

    static void publish(ModuleRegistry registry) {
        CURRENT.set(registry);
    }

    static void withdraw(ModuleRegistry registry) {
        CURRENT.compareAndSet(registry, null);
    }

    static Optional<ModuleRegistry> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
