package dev.shepherd.kernel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.manifest.ManifestLoader;
import dev.shepherd.kernel.manifest.YamlTreeReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class EffectiveManifestTest {

    @Test
    void secretsAreMaskedWhereverTheyAre() {
        Map<String, Object> printed = render("""
                server:
                  api_key: sk-admin
                  control_plane_api_keys: ["k1:ops:admin:s1", "k2:dev:user:s2"]
                workers:
                  - url: http://w1:8000
                    models: [m]
                    api_key: sk-worker
                backends:
                  provider_openai:
                    api_key: sk-provider
                    client_secret: shh
                    db_password: hunter2
                    token: t0k
                    timeout_secs: 5
                """);

        Map<String, Object> server = section(printed, "server");
        assertThat(server.get("api_key")).isEqualTo("****");
        assertThat(server.get("control_plane_api_keys")).isEqualTo(List.of("****", "****"));
        @SuppressWarnings("unchecked")
        Map<String, Object> worker = ((List<Map<String, Object>>) printed.get("workers")).get(0);
        assertThat(worker.get("api_key")).isEqualTo("****");
        assertThat(worker.get("url")).isEqualTo("http://w1:8000");
        Map<String, Object> provider = section(section(printed, "backends"), "provider_openai");
        assertThat(provider).containsEntry("api_key", "****").containsEntry("client_secret", "****")
                .containsEntry("db_password", "****").containsEntry("token", "****").containsEntry("timeout_secs", 5);
    }

    @Test
    void theRenderedTextNeverContainsASecret() {
        String text = EffectiveManifest.render(ManifestLoader.bind(YamlTreeReader.read("t.yaml", """
                server:
                  api_key: sk-admin-123
                  control_plane_api_keys: ["k1:ops:admin:cp-secret-456"]
                """)));

        assertThat(text).doesNotContain("sk-admin-123").doesNotContain("cp-secret-456");
    }

    @Test
    void defaultsOfEveryKernelSectionAreShown() {
        Map<String, Object> printed = render("");

        Map<String, Object> server = section(printed, "server");
        assertThat(server).containsEntry("host", "0.0.0.0").containsEntry("port", 30000)
                .containsEntry("max_payload_size", 536_870_912).containsEntry("request_timeout_secs", 1800)
                .containsEntry("request_id_headers", List.of("x-request-id"));
        assertThat(server.get("api_key")).as("no key configured: nothing to mask").isNull();
        assertThat(section(printed, "health")).containsEntry("check_interval_secs", 60).containsEntry("check_timeout_secs", 5)
                .containsEntry("failure_threshold", 3).containsEntry("success_threshold", 2)
                .containsEntry("endpoint", "/health").containsEntry("disabled", false);
        assertThat(section(printed, "routing")).containsEntry("policy", "cache_aware")
                .containsEntry("routing_key_override", false);
        assertThat(section(printed, "resilience")).containsEntry("max_retries", 5).containsEntry("disable_retries", false);
        assertThat(section(printed, "logging")).containsEntry("level", "info");
        assertThat(section(printed, "plugins")).containsEntry("directory", "plugins");
        assertThat(printed.get("workers")).isEqualTo(List.of());
    }

    @Test
    void valuesFromTheFileReplaceDefaults() {
        Map<String, Object> printed = render("server:\n  port: 8080\nrouting:\n  policy: random\n");

        assertThat(section(printed, "server")).containsEntry("port", 8080).containsEntry("host", "0.0.0.0");
        assertThat(section(printed, "routing")).containsEntry("policy", "random");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> render(String yaml) {
        String text = EffectiveManifest.render(ManifestLoader.bind(YamlTreeReader.read("t.yaml", yaml)));
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> map, String name) {
        assertThat(map).containsKey(name);
        return (Map<String, Object>) map.get(name);
    }
}
