package dev.shepherd.spi.auth;

import dev.shepherd.spi.Principal;

/** An authenticator's verdict: a closed set. */
public sealed interface AuthResult {

    /** The caller is known. */
    record Authenticated(Principal principal) implements AuthResult {
    }

    /** The caller is refused: 401 for bad or missing credentials, 403 for insufficient rights. */
    record Rejected(int status, String message) implements AuthResult {
    }

    /** This authenticator does not recognise the credentials; ask the next one. */
    enum Abstain implements AuthResult {
        INSTANCE
    }
}
