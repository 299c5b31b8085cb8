package dev.shepherd.kernel.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {

    private static final String FULL = """
            server:
              host: 127.0.0.1
              port: 8080
              max_payload_size: 1024
              request_timeout_secs: 30
              shutdown_grace_period_secs: 5
              io_threads: 2
              api_key: sk-admin
              control_plane_api_keys:
                - "k1:ops:admin:secret-one"
              request_id_headers: [X-Trace-Id, x-request-id]
            plugins:
              directory: /opt/smg/plugins
              disabled: [mesh-gossip]
            workers:
              - http://w1:8000
              - url: http://w2:8000/
                models: [llama]
                type: decode
                backend: grpc
                labels: {zone: a}
                api_key: sk-worker
                priority: 10
                cost: 2.5
            routing:
              policy: cache_aware
              policies:
                cache_aware: {cache_threshold: 0.5}
              models:
                llama: {policy: random}
            health:
              check_interval_secs: 10
              check_timeout_secs: 2
              failure_threshold: 4
              success_threshold: 1
              endpoint: /ready
              disabled: true
            resilience:
              max_retries: 3
              disable_retries: false
            admission:
              max_concurrent_requests: 64
              queue_size: 10
              queue_timeout_secs: 5
            logging:
              level: DEBUG
            apis:
              openai: {}
            backends:
              openai_http: {pool: 8}
            discovery:
              kubernetes: {namespace: llm}
            middleware:
              - name: wasm
                config: {module: a.wasm}
            """;

    @TempDir
    Path dir;

    @Test
    void withoutAFileEverySectionTakesItsDefaults() {
        Manifest manifest = ManifestLoader.load(null, Map.of());

        ServerSection server = manifest.server();
        assertThat(server.host()).isEqualTo("0.0.0.0");
        assertThat(server.port()).isEqualTo(30000);
        assertThat(server.maxPayloadSize()).isEqualTo(536_870_912L);
        assertThat(server.requestTimeoutSecs()).isEqualTo(1800);
        assertThat(server.shutdownGracePeriodSecs()).isEqualTo(180);
        assertThat(server.ioThreads()).isZero();
        assertThat(server.apiKey()).isNull();
        assertThat(server.controlPlaneApiKeys()).isEmpty();
        assertThat(server.requestIdHeaders()).containsExactly("x-request-id");
        assertThat(manifest.plugins().directory()).isEqualTo("plugins");
        assertThat(manifest.plugins().disabled()).isEmpty();
        assertThat(manifest.workers()).isEmpty();
        assertThat(manifest.routing().policy()).isEqualTo(RoutingSection.DEFAULT_POLICY);
        assertThat(manifest.routing().policies()).isEmpty();
        assertThat(manifest.routing().models()).isEmpty();
        assertHealth(manifest.health(), 60, 5, 3, 2, "/health", false);
        assertThat(manifest.resilience().maxRetries()).isEqualTo(5);
        assertThat(manifest.resilience().disableRetries()).isFalse();
        assertThat(manifest.resilience().attempts()).isEqualTo(5);
        assertThat(manifest.admission().maxConcurrentRequests()).as("no limit").isEqualTo(-1);
        assertThat(manifest.logging().level()).isEqualTo("info");
        assertThat(manifest.apis()).as("absent means every API found").isNull();
        assertThat(manifest.backends()).isNull();
        assertThat(manifest.discovery()).isNull();
        assertThat(manifest.middleware()).isEmpty();
    }

    @Test
    void aFullManifestBindsEverySection() throws IOException {
        Manifest manifest = ManifestLoader.load(write(FULL), Map.of());

        ServerSection server = manifest.server();
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isEqualTo(8080);
        assertThat(server.maxPayloadSize()).isEqualTo(1024L);
        assertThat(server.requestTimeoutSecs()).isEqualTo(30);
        assertThat(server.shutdownGracePeriodSecs()).isEqualTo(5);
        assertThat(server.ioThreads()).isEqualTo(2);
        assertThat(server.apiKey()).isEqualTo("sk-admin");
        assertThat(server.controlPlaneApiKeys()).containsExactly("k1:ops:admin:secret-one");
        assertThat(server.requestIdHeaders()).containsExactly("x-trace-id", "x-request-id");

        assertThat(manifest.plugins()).isEqualTo(new PluginsSection("/opt/smg/plugins", List.of("mesh-gossip")));

        assertThat(manifest.workers()).containsExactly(
                WorkerSpec.of("http://w1:8000"),
                new WorkerSpec("http://w2:8000", List.of("llama"), WorkerType.DECODE, "grpc", Map.of("zone", "a"),
                        "sk-worker", 10, 2.5));

        assertThat(manifest.routing().policy()).isEqualTo("cache_aware");
        assertThat(manifest.routing().policies().get("cache_aware").path("cache_threshold").asDouble()).isEqualTo(0.5);
        assertThat(manifest.routing().models()).containsEntry("llama", new RoutingSection.ModelRouting("random"));

        assertHealth(manifest.health(), 10, 2, 4, 1, "/ready", true);
        assertThat(manifest.resilience().maxRetries()).isEqualTo(3);
        assertThat(manifest.resilience().disableRetries()).isFalse();
        assertThat(manifest.resilience().attempts()).isEqualTo(3);
        assertThat(manifest.admission().maxConcurrentRequests()).isEqualTo(64);
        assertThat(manifest.admission().queueSize()).isEqualTo(10);
        assertThat(manifest.admission().queueTimeoutSecs()).isEqualTo(5);
        assertThat(manifest.logging().level()).isEqualTo("debug");

        assertThat(manifest.apis()).containsOnlyKeys("openai");
        assertThat(manifest.backends().get("openai_http").path("pool").asInt()).isEqualTo(8);
        assertThat(manifest.discovery().get("kubernetes").path("namespace").asText()).isEqualTo("llm");
        assertThat(manifest.middleware()).hasSize(1);
        assertThat(manifest.middleware().get(0).path("config").path("module").asText()).isEqualTo("a.wasm");
    }

    @Test
    void workersMayBePlainUrlsOrMappings() throws IOException {
        Manifest manifest = ManifestLoader.load(write("""
                workers:
                  - http://a:1/
                  - url: https://b:2
                    models: [m1, m2]
                """), Map.of());

        assertThat(manifest.workers()).extracting(WorkerSpec::url).containsExactly("http://a:1", "https://b:2");
        assertThat(manifest.workers().get(0).models()).as("to be discovered").isEmpty();
        assertThat(manifest.workers().get(0).backend()).isEqualTo(WorkerSpec.DEFAULT_BACKEND);
        assertThat(manifest.workers().get(1).models()).containsExactly("m1", "m2");
        assertThat(manifest.workers().get(1).type()).isEqualTo(WorkerType.REGULAR);
    }

    @Test
    void anUnknownTopLevelSectionIsReportedWithItsLine() throws IOException {
        Path file = write("""
                server:
                  port: 1
                servers:
                  port: 2
                """);

        assertThat(faults(file)).singleElement().asString()
                .startsWith(file + ":3: servers: unknown section 'servers' (known: server, plugins, workers");
    }

    @Test
    void anUnknownKeyIsReportedWithTheKnownOnes() throws IOException {
        Path file = write("""
                server:
                  host: localhost
                  prot: 8080
                """);

        assertThat(faults(file)).singleElement().asString()
                .startsWith(file + ":3: server.prot: unknown key 'prot' (known keys: ")
                .contains("api_key", "host", "port");
    }

    @Test
    void aValueOfTheWrongTypeIsReportedWithTheExpectedType() throws IOException {
        Path file = write("""
                health:
                  check_interval_secs: 5
                  failure_threshold: zero
                """);

        assertThat(faults(file)).containsExactly(
                file + ":3: health.failure_threshold: bad value 'zero', expected an integer");
    }

    @Test
    void aValueTheSectionRefusesIsReportedWithTheSectionsMessage() throws IOException {
        Path file = write("""
                logging:
                  level: loud
                """);

        assertThat(faults(file)).singleElement().asString()
                .matches(java.util.regex.Pattern.quote(file.toString()) + ":[12]: logging(\\.level)?: "
                        + "level must be one of trace, debug, info, warn, error; got loud");
    }

    @Test
    void aBadWorkerUrlIsReportedAtItsListEntry() throws IOException {
        Path file = write("""
                workers:
                  - http://fine:1
                  - ftp://nope
                """);

        assertThat(faults(file)).containsExactly(
                file + ":3: workers[1]: worker url must start with http:// or https://: ftp://nope");
    }

    @Test
    void everyFaultIsReportedTogether() throws IOException {
        Path file = write("""
                server:
                  port: many
                health:
                  endpoint: /x
                  nonsense: true
                extra: {}
                middleware:
                  - config: {}
                """);

        ManifestException e = catchThrowableOfType(ManifestException.class, () -> ManifestLoader.load(file, Map.of()));

        assertThat(e.faults()).hasSize(4);
        assertThat(e.faults()).anySatisfy(f -> assertThat(f).startsWith(file + ":2: server.port: bad value 'many'"));
        assertThat(e.faults()).anySatisfy(f -> assertThat(f).startsWith(file + ":5: health.nonsense: unknown key"));
        assertThat(e.faults()).anySatisfy(f -> assertThat(f).startsWith(file + ":6: extra: unknown section"));
        assertThat(e.faults()).anySatisfy(f -> assertThat(f).startsWith(file + ":8: middleware[0]: each middleware entry needs a 'name'"));
        assertThat(e.getMessage()).startsWith("invalid configuration:\n  ");
        e.faults().forEach(f -> assertThat(e.getMessage()).contains(f));
    }

    @Test
    void commandLineOverridesWinOverTheFile() throws IOException {
        Path file = write("""
                server:
                  host: 10.0.0.1
                  port: 8080
                workers:
                  - http://from-file:1
                routing:
                  policy: random
                """);
        ArrayNode urls = JsonNodeFactory.instance.arrayNode().add("http://a:1").add("http://b:2");

        Manifest manifest = ManifestLoader.load(file, Map.of(
                "/server/port", IntNode.valueOf(9000),
                "/workers", urls,
                "/health/disabled", JsonNodeFactory.instance.booleanNode(true)));

        assertThat(manifest.server().port()).isEqualTo(9000);
        assertThat(manifest.server().host()).as("keys not overridden keep the file's value").isEqualTo("10.0.0.1");
        assertThat(manifest.workers()).extracting(WorkerSpec::url).containsExactly("http://a:1", "http://b:2");
        assertThat(manifest.routing().policy()).isEqualTo("random");
        assertThat(manifest.health().disabled()).as("a section the file lacks is created").isTrue();
    }

    @Test
    void faultsInOverridesAreLocatedOnTheCommandLine() throws IOException {
        Path file = write("""
                server:
                  port: 8080
                """);

        List<String> faults = catchThrowableOfType(ManifestException.class, () -> ManifestLoader.load(file, Map.of(
                "/server/port", TextNode.valueOf("eighty"),
                "/workers", JsonNodeFactory.instance.arrayNode().add("not-a-url")))).faults();

        assertThat(faults).containsExactlyInAnyOrder(
                "command line: server.port: bad value 'eighty', expected an integer",
                "command line: workers[0]: worker url must start with http:// or https://: not-a-url");
    }

    @Test
    void anOverrideRefusedByASectionsValidationIsLocatedOnTheCommandLine() {
        List<String> faults = catchThrowableOfType(ManifestException.class, () -> ManifestLoader.load(null,
                Map.of("/server/port", IntNode.valueOf(70000)))).faults();

        assertThat(faults).singleElement().asString()
                .startsWith("command line: server")
                .endsWith("port must be between 0 and 65535, got 70000");
    }

    @Test
    void yamlSyntaxErrorsNameTheLine() throws IOException {
        Path file = write("""
                server:
                  port: 1
                  host: [unclosed
                routing:
                  policy: random
                """);

        List<String> faults = faults(file);

        assertThat(faults).singleElement().asString().matches(java.util.regex.Pattern.quote(file.toString()) + ":[3-5]: .+");
    }

    @Test
    void duplicateKeysAreRefused() throws IOException {
        Path file = write("""
                server:
                  port: 1
                  port: 2
                """);

        assertThat(faults(file)).singleElement().asString().startsWith(file + ":3: ").contains("port");
    }

    @Test
    void anUnreadableFileIsReported() {
        Path missing = dir.resolve("missing.yaml");

        assertThat(faults(missing)).singleElement().asString().startsWith(missing + ": cannot read");
    }

    @Test
    void aManifestThatIsNotAMappingIsRefused() throws IOException {
        Path file = write("- just\n- a list\n");

        assertThat(faults(file)).containsExactly(file + ":1: the manifest must be a mapping of sections");
    }

    @Test
    void pluginSectionsMustBeMappingsAndWorkersAList() throws IOException {
        Path file = write("""
                workers: http://a:1
                backends: [openai_http]
                """);

        assertThat(faults(file)).containsExactlyInAnyOrder(
                file + ":1: workers: expected a list of workers",
                file + ":2: backends: expected a mapping of plugin name to its configuration");
    }

    private static void assertHealth(HealthSection health, int interval, int timeout, int failures, int successes,
                                     String endpoint, boolean disabled) {
        assertThat(health.checkIntervalSecs()).isEqualTo(interval);
        assertThat(health.checkTimeoutSecs()).isEqualTo(timeout);
        assertThat(health.failureThreshold()).isEqualTo(failures);
        assertThat(health.successThreshold()).isEqualTo(successes);
        assertThat(health.endpoint()).isEqualTo(endpoint);
        assertThat(health.disabled()).isEqualTo(disabled);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("smg.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> faults(Path file) {
        return faults(file, Map.of());
    }

    private static List<String> faults(Path file, Map<String, JsonNode> overrides) {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> ManifestLoader.load(file, overrides));
        assertThat(e).as("the manifest should have been refused").isNotNull();
        return e.faults();
    }
}
