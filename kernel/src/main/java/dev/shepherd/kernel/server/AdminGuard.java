package dev.shepherd.kernel.server;

import dev.shepherd.kernel.errors.Errors;
import dev.shepherd.kernel.manifest.ServerSection;
import dev.shepherd.spi.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Guards admin routes as SMG does: with control-plane keys ({@code id:name:role:key}) the caller
 * must present one whose role is admin (401 for an unknown key, 403 for a non-admin one); without
 * them, the gateway's {@code api_key} when set; with neither, admin routes are open.
 * Keys are kept as SHA-256 digests and compared in constant time.
 */
final class AdminGuard {

    private record Key(byte[] digest, boolean admin) {
    }

    private final List<Key> keys = new ArrayList<>();

    AdminGuard(ServerSection server) {
        for (String entry : server.controlPlaneApiKeys()) {
            String[] parts = entry.split(":", 4);
            keys.add(new Key(sha256(parts[3]), parts[2].equalsIgnoreCase("admin")));
        }
        if (keys.isEmpty() && server.apiKey() != null && !server.apiKey().isEmpty()) {
            keys.add(new Key(sha256(server.apiKey()), true));
        }
    }

    /** Null when the caller may proceed, else the error to answer. */
    GatewayException check(String authorization) {
        if (keys.isEmpty()) {
            return null;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Errors.unauthorized();
        }
        byte[] presented = sha256(authorization.substring(7).trim());
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.digest, presented)) {
                return key.admin ? null : Errors.forbidden();
            }
        }
        return Errors.unauthorized();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
