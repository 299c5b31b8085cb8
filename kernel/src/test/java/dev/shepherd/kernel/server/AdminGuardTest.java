package dev.shepherd.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.kernel.manifest.ServerSection;
import dev.shepherd.spi.GatewayException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminGuardTest {

    @Test
    void withoutKeysAdminRoutesAreOpen() {
        AdminGuard guard = new AdminGuard(server(Map.of()));

        assertThat(guard.check(null)).isNull();
        assertThat(guard.check("Bearer anything")).isNull();
    }

    @Test
    void theGatewaysApiKeyIsTheAdminKeyWithoutControlPlaneKeys() {
        AdminGuard guard = new AdminGuard(server(Map.of("api_key", "sk-admin")));

        assertThat(guard.check("Bearer sk-admin")).isNull();
        assertThat(guard.check("bearer sk-admin")).as("the scheme is case-insensitive").isNull();
        assertThat(guard.check("Bearer  sk-admin ")).as("surrounding blanks are ignored").isNull();
        assertThat(status(guard.check("Bearer sk-other"))).isEqualTo(401);
    }

    @Test
    void anEmptyApiKeyDoesNotCloseAdminRoutes() {
        assertThat(new AdminGuard(server(Map.of("api_key", ""))).check(null)).isNull();
    }

    @Test
    void controlPlaneKeysDecideByRole() {
        AdminGuard guard = new AdminGuard(server(Map.of(
                "api_key", "sk-gateway",
                "control_plane_api_keys", List.of("k1:ops:admin:admin-secret", "k2:dev:user:user-secret",
                        "k3:ci:Admin:with:colons"))));

        assertThat(guard.check("Bearer admin-secret")).isNull();
        assertThat(guard.check("Bearer with:colons")).as("a key may contain colons; roles ignore case").isNull();
        GatewayException nonAdmin = guard.check("Bearer user-secret");
        assertThat(status(nonAdmin)).isEqualTo(403);
        assertThat(nonAdmin.code()).isEqualTo("insufficient_permissions");
        GatewayException unknown = guard.check("Bearer nobody");
        assertThat(status(unknown)).isEqualTo(401);
        assertThat(unknown.code()).isEqualTo("invalid_api_key");
        assertThat(status(guard.check("Bearer sk-gateway")))
                .as("with control-plane keys the api_key is no admin key").isEqualTo(401);
    }

    @Test
    void aMissingOrMalformedAuthorizationIsUnauthorized() {
        AdminGuard guard = new AdminGuard(server(Map.of("api_key", "sk-admin")));

        assertThat(status(guard.check(null))).isEqualTo(401);
        assertThat(status(guard.check(""))).isEqualTo(401);
        assertThat(status(guard.check("sk-admin"))).isEqualTo(401);
        assertThat(status(guard.check("Basic c2stYWRtaW4="))).isEqualTo(401);
        assertThat(status(guard.check("Bearer"))).isEqualTo(401);
        assertThat(status(guard.check("Bearer "))).isEqualTo(401);
    }

    private static ServerSection server(Map<String, Object> keys) {
        return Mappers.binding().convertValue(keys, ServerSection.class);
    }

    private static int status(GatewayException e) {
        assertThat(e).as("the caller should have been refused").isNotNull();
        return e.status();
    }
}
