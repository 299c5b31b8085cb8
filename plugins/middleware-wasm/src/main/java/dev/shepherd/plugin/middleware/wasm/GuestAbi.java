package dev.shepherd.plugin.middleware.wasm;

/**
 * Names and numbers of guest ABI v1, as specified in {@code wasm-sdk/ABI.md}. Kept in one place so the
 * validator, the host functions and the documentation cannot drift apart.
 */
final class GuestAbi {

    /** The one import module a guest may import from. */
    static final String IMPORT_MODULE = "shepherd";

    /** Exported (as a function taking and returning nothing) by every v1 guest; never called. */
    static final String VERSION_MARKER = "shepherd_abi_version_1";

    static final String MEMORY = "memory";
    static final String INITIALIZE = "_initialize";
    static final String ON_CONFIGURE = "on_configure";

    /** Status codes host functions return (negative so they never collide with a length). */
    static final int OK = 0;
    static final int BAD_ARGUMENT = -1;
    static final int LIMIT_EXCEEDED = -2;
    static final int NOT_FOUND = -3;

    /** Largest action a guest may write; larger writes are refused and the call counts as a limit hit. */
    static final int DEFAULT_MAX_OUTPUT_BYTES = 10 * 1024 * 1024;

    /** Per-module variable limits: enough for per-client state, not a way to exhaust the heap. */
    static final int MAX_VARIABLES = 10_000;
    static final int MAX_VARIABLE_KEY_BYTES = 1024;
    static final int MAX_VARIABLE_VALUE_BYTES = 64 * 1024;
    static final int MAX_LOG_BYTES = 4096;

    private GuestAbi() {
    }
}
