package dev.shepherd.spi.auth;

import dev.shepherd.spi.ExtensionFactory;

/** Creates an {@link Authenticator}. */
public interface AuthenticatorFactory<C extends Record> extends ExtensionFactory<C, Authenticator> {
}
