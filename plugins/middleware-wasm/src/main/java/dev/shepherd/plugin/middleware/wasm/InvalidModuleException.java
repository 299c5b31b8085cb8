package dev.shepherd.plugin.middleware.wasm;

/** A module that cannot be loaded: bad bytes, not ABI v1, missing exports, refused configuration. */
final class InvalidModuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidModuleException(String message) {
        super(message);
    }

    InvalidModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
