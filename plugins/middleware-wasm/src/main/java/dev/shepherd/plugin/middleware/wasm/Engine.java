package dev.shepherd.plugin.middleware.wasm;

import java.util.Locale;

/** How guest code runs: compiled to JVM bytecode (production) or interpreted (benchmarks, fallback). */
enum Engine {
    COMPILED,
    INTERPRETED;

    static Engine parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "compiled", "compiler" -> COMPILED;
            case "interpreted", "interpreter" -> INTERPRETED;
            default -> throw new IllegalArgumentException("unknown engine '" + value + "' (expected compiled or interpreted)");
        };
    }
}
