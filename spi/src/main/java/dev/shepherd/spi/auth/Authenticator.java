package dev.shepherd.spi.auth;

import dev.shepherd.spi.Headers;
import java.util.concurrent.CompletionStage;

/**
 * Establishes who a caller is from their request headers. Thread-safe; answers from a cache inline
 * and hops to the blocking executor for slow lookups. Authenticators are asked in manifest order;
 * the first that does not {@link AuthResult.Abstain abstain} decides.
 */
public interface Authenticator {

    CompletionStage<AuthResult> authenticate(Headers headers);
}
