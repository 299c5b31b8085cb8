package dev.shepherd.spi.middleware;

import dev.shepherd.spi.ExtensionFactory;

/**
 * Creates a {@link Middleware}: a hook on the request path.
 *
 * <h2>Where middleware runs</h2>
 * After authentication, admission and parsing, before routing: {@code onRequest} of each middleware
 * in manifest order. After the worker's answer: {@code onResponse} in reverse manifest order. The
 * first {@link HookResult.Respond} stops the request chain and is answered to the client.
 */
public interface MiddlewareFactory<C extends Record> extends ExtensionFactory<C, Middleware> {
}
