package dev.shepherd.spi;

import java.util.Set;

/**
 * Who made a request, as established by an authenticator.
 *
 * @param subject the caller's identity (a key id or token subject); never the secret itself
 * @param tenant the tenant the request is accounted to
 * @param roles roles such as {@code admin}
 */
public record Principal(String subject, String tenant, Set<String> roles) {

    public static final String ADMIN_ROLE = "admin";

    public Principal {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN_ROLE);
    }
}
