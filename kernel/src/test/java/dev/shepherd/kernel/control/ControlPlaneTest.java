package dev.shepherd.kernel.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.kernel.worker.RegisteredWorker;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.api.LocalResponse;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ControlPlaneTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerRegistry registry = new WorkerRegistry(
            spec -> CompletableFuture.failedFuture(new IOException("unreachable")), true);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ControlPlane controlPlane = new ControlPlane(registry, draining::get);

    @Test
    void healthAndLivenessAreOpenAndAlwaysOk() {
        assertThat(endpoint("GET", "/health").admin()).isFalse();
        assertThat(endpoint("GET", "/liveness").admin()).isFalse();
        assertThat(endpoint("GET", "/readiness").admin()).isFalse();
        assertThat(call("GET", "/health", Map.of(), "", "").status()).isEqualTo(200);
        assertThat(call("GET", "/liveness", Map.of(), "", "").status()).isEqualTo(200);
    }

    @Test
    void workerRoutesAndLoadsAreAdminRoutes() {
        assertThat(controlPlane.endpoints()).filteredOn(e -> e.path().startsWith("/workers") || e.path().equals("/get_loads"))
                .hasSize(6).allSatisfy(e -> assertThat(((Endpoint.Local) e).admin()).isTrue());
    }

    @Test
    void readinessNeedsAHealthyWorker() throws IOException {
        Answer none = call("GET", "/readiness", Map.of(), "", "");
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.json().path("status").asText()).isEqualTo("not ready");
        assertThat(none.json().path("reason").asText()).isEqualTo("insufficient healthy workers");
        assertThat(none.json().path("total_workers").asInt()).isZero();

        RegisteredWorker worker = register("http://a:1", "m");
        register("http://b:1", "m");
        registry.updateStatus(worker, WorkerStatus.NOT_READY);

        Answer one = call("GET", "/readiness", Map.of(), "", "");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("status").asText()).isEqualTo("ready");
        assertThat(one.json().path("healthy_workers").asInt()).isEqualTo(1);
        assertThat(one.json().path("total_workers").asInt()).isEqualTo(2);
    }

    @Test
    void aDrainingGatewayIsNotReady() throws IOException {
        register("http://a:1", "m");
        draining.set(true);

        Answer answer = call("GET", "/readiness", Map.of(), "", "");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().path("reason").asText()).isEqualTo("draining");
        assertThat(answer.json().path("healthy_workers").asInt()).isEqualTo(1);
    }

    @Test
    void addingAWorkerAnswers202WithTheWorker() throws IOException {
        Answer answer = call("POST", "/workers", Map.of(), "", """
                {"url": "http://gpu1:8000/", "models": ["llama"], "type": "decode", "labels": {"zone": "a"},
                 "api_key": "sk-hidden", "priority": 10, "cost": 2.0}
                """);

        assertThat(answer.status()).isEqualTo(202);
        JsonNode worker = answer.json();
        assertThat(worker.path("url").asText()).isEqualTo("http://gpu1:8000");
        assertThat(worker.path("model_id").asText()).isEqualTo("llama");
        assertThat(worker.path("models")).extracting(JsonNode::asText).containsExactly("llama");
        assertThat(worker.path("worker_type").asText()).isEqualTo("decode");
        assertThat(worker.path("backend").asText()).isEqualTo("openai_http");
        assertThat(worker.path("labels").path("zone").asText()).isEqualTo("a");
        assertThat(worker.path("priority").asInt()).isEqualTo(10);
        assertThat(worker.path("cost").asDouble()).isEqualTo(2.0);
        assertThat(worker.path("status").asText()).isEqualTo("ready");
        assertThat(worker.path("is_healthy").asBoolean()).isTrue();
        assertThat(worker.path("circuit_state").asText()).isEqualTo("closed");
        assertThat(worker.path("stats").path("routed_requests").asLong()).isZero();
        assertThat(answer.text()).as("the worker's key is never shown").doesNotContain("sk-hidden");
        assertThat(registry.get(worker.path("id").asText())).isPresent();
    }

    @Test
    void addingAWorkerWhoseUrlIsTakenIs409() {
        register("http://a:1", "m");

        GatewayException e = refusal("POST", "/workers", Map.of(), "{\"url\": \"http://a:1\", \"models\": [\"x\"]}");

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("worker_exists");
        assertThat(registry.all()).hasSize(1);
    }

    @Test
    void anInvalidWorkerSpecIs400() {
        assertThat(refusal("POST", "/workers", Map.of(), "{\"url\": \"ftp://a\"}").status()).isEqualTo(400);
        assertThat(refusal("POST", "/workers", Map.of(), "{\"models\": [\"m\"]}").status()).as("no url").isEqualTo(400);
        assertThat(refusal("POST", "/workers", Map.of(), "{\"url\": \"http://a:1\", \"bogus\": 1}").status()).isEqualTo(400);
        assertThat(refusal("POST", "/workers", Map.of(), "{\"url\": \"http://a:1\", \"type\": \"huge\"}").status()).isEqualTo(400);
        assertThat(refusal("POST", "/workers", Map.of(), "not json").status()).isEqualTo(400);
        assertThat(refusal("POST", "/workers", Map.of(), "").status()).isEqualTo(400);
        assertThat(refusal("POST", "/workers", Map.of(), "null").status()).isEqualTo(400);
        GatewayException e = refusal("POST", "/workers", Map.of(), "{\"url\": \"ftp://a\"}");
        assertThat(e.code()).isEqualTo("invalid_worker");
        assertThat(e.getMessage()).contains("http://");
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void aWorkerThatCannotBeAskedForItsModelsIsStillAccepted() throws IOException {
        Answer answer = call("POST", "/workers", Map.of(), "", "{\"url\": \"http://later:1\"}");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().path("status").asText()).isEqualTo("pending");
        assertThat(answer.json().path("model_id").asText()).isEqualTo("unknown");
    }

    @Test
    void workersAreListedWithStatsAndMayBeFilteredByModel() throws IOException {
        RegisteredWorker a = register("http://a:1", "m1");
        register("http://b:1", "m2");
        registry.updateStatus(a, WorkerStatus.NOT_READY);

        JsonNode all = call("GET", "/workers", Map.of(), "", "").json();
        assertThat(all.path("total").asInt()).isEqualTo(2);
        assertThat(all.path("workers")).extracting(w -> w.path("url").asText()).containsExactly("http://a:1", "http://b:1");
        assertThat(all.path("stats").path("total_workers").asInt()).isEqualTo(2);
        assertThat(all.path("stats").path("healthy_workers").asInt()).isEqualTo(1);
        assertThat(all.path("stats").path("total_models").asInt()).isEqualTo(2);
        assertThat(all.path("stats").path("by_type").path("regular").asInt()).isEqualTo(2);
        assertThat(all.path("stats").path("by_type").path("decode").asInt()).isZero();

        JsonNode filtered = call("GET", "/workers", Map.of(), "model=m%32", "").json();
        assertThat(filtered.path("workers")).extracting(w -> w.path("url").asText()).containsExactly("http://b:1");
        assertThat(filtered.path("total").asInt()).isEqualTo(1);
    }

    @Test
    void aWorkerIsShownById() throws IOException {
        RegisteredWorker worker = register("http://a:1", "m");

        Answer answer = call("GET", "/workers/{id}", Map.of("id", worker.id()), "", "");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("id").asText()).isEqualTo(worker.id());
        assertThat(answer.json().path("url").asText()).isEqualTo("http://a:1");
    }

    @Test
    void anUnknownWorkerIs404() {
        GatewayException get = refusal("GET", "/workers/{id}", Map.of("id", "nope"), "");
        GatewayException delete = refusal("DELETE", "/workers/{id}", Map.of("id", "nope"), "");

        assertThat(get.status()).isEqualTo(404);
        assertThat(get.code()).isEqualTo("worker_not_found");
        assertThat(delete.status()).isEqualTo(404);
    }

    @Test
    void deletingAWorkerRemovesIt() throws IOException {
        RegisteredWorker worker = register("http://a:1", "m");

        Answer answer = call("DELETE", "/workers/{id}", Map.of("id", worker.id()), "", "");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().path("status").asText()).isEqualTo("removed");
        assertThat(answer.json().path("worker_id").asText()).isEqualTo(worker.id());
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void aDpAwareGatewayListsEveryRankAndRemovesThemAllByTheBaseUrl() throws IOException {
        WorkerRegistry dpRegistry = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of("m")), true,
                () -> null, spec -> CompletableFuture.completedFuture(3));
        ControlPlane dp = new ControlPlane(dpRegistry, draining::get);

        Answer added = call(dp, "POST", "/workers", Map.of(), "", "{\"url\": \"http://e:1\"}");
        call(dp, "POST", "/workers", Map.of(), "", "{\"url\": \"http://plain:1\", \"dp_size\": 1}");

        assertThat(added.status()).isEqualTo(202);
        assertThat(added.json().path("url").asText()).isEqualTo("http://e:1@0");
        JsonNode list = call(dp, "GET", "/workers", Map.of(), "", "").json();
        assertThat(list.path("total").asInt()).isEqualTo(4);
        assertThat(list.path("workers")).extracting(w -> w.path("url").asText())
                .containsExactly("http://e:1@0", "http://e:1@1", "http://e:1@2", "http://plain:1");
        JsonNode rank2 = list.path("workers").get(2);
        assertThat(rank2.path("dp_base_url").asText()).isEqualTo("http://e:1");
        assertThat(rank2.path("dp_rank").asInt()).isEqualTo(2);
        assertThat(rank2.path("dp_size").asInt()).isEqualTo(3);
        assertThat(list.path("workers").get(3).has("dp_rank")).isFalse();

        Answer removed = call(dp, "DELETE", "/workers", Map.of(), "url=http%3A%2F%2Fe%3A1", "");

        assertThat(removed.status()).isEqualTo(202);
        assertThat(removed.json().path("worker_ids")).hasSize(3);
        assertThat(dpRegistry.all()).extracting(Worker::url).containsExactly("http://plain:1");
        assertThat(refusal(dp, "DELETE", "/workers", Map.of(), "url=http://e:1", "").status()).isEqualTo(404);
    }

    @Test
    void aSpecNamingItsRankIsThatRankEvenWithoutDpAwareness() throws IOException {
        Answer answer = call("POST", "/workers", Map.of(), "", """
                {"url": "http://e:1", "models": ["m"], "dp_rank": 1, "dp_size": 2}
                """);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().path("url").asText()).isEqualTo("http://e:1@1");
        assertThat(registry.all()).singleElement().satisfies(w -> assertThat(w.dpRank()).hasValue(1));
    }

    @Test
    void loadsListEveryWorkersInFlightRequests() throws IOException {
        RegisteredWorker a = register("http://a:1", "m");
        register("http://b:1", "m");
        a.requestStarted();
        a.requestStarted();

        JsonNode loads = call("GET", "/get_loads", Map.of(), "", "").json();

        assertThat(loads.path("workers")).hasSize(2);
        JsonNode first = loads.path("workers").get(0);
        assertThat(first.path("worker").asText()).isEqualTo("http://a:1");
        assertThat(first.path("worker_id").asText()).isEqualTo(a.id());
        assertThat(first.path("load").asInt()).isEqualTo(2);
        assertThat(first.path("details").path("in_flight").asInt()).isEqualTo(2);
        assertThat(first.path("details").path("queued_prompt_tokens").asLong()).isZero();
        assertThat(first.path("details").path("kv_cache_usage").asDouble()).isEqualTo(-1.0);
        assertThat(loads.path("workers").get(1).path("load").asInt()).isZero();
    }

    private record Answer(LocalResponse response) {
        int status() {
            return response.status();
        }

        String text() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            assertThat(response.contentType()).isEqualTo("application/json");
            return JSON.readTree(response.body());
        }
    }

    private RegisteredWorker register(String url, String model) {
        Worker worker = registry.register(WorkerSpec.of(url).withModels(List.of(model))).toCompletableFuture().join();
        return (RegisteredWorker) worker;
    }

    private Endpoint.Local endpoint(String method, String path) {
        return endpoint(controlPlane, method, path);
    }

    private static Endpoint.Local endpoint(ControlPlane plane, String method, String path) {
        return plane.endpoints().stream()
                .filter(e -> e.method().equals(method) && e.path().equals(path))
                .map(Endpoint.Local.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no endpoint " + method + " " + path));
    }

    private Answer call(String method, String path, Map<String, String> params, String query, String body) {
        return call(controlPlane, method, path, params, query, body);
    }

    private static Answer call(ControlPlane plane, String method, String path, Map<String, String> params, String query,
                               String body) {
        return new Answer(endpoint(plane, method, path).handler().handle(request(method, path, params, query, body))
                .toCompletableFuture().join());
    }

    /** The error a handler answers with, whether it throws at once or completes its stage with it. */
    private GatewayException refusal(String method, String path, Map<String, String> params, String body) {
        return refusal(controlPlane, method, path, params, "", body);
    }

    private static GatewayException refusal(ControlPlane plane, String method, String path, Map<String, String> params,
                                            String query, String body) {
        try {
            LocalResponse response = endpoint(plane, method, path).handler().handle(request(method, path, params, query, body))
                    .toCompletableFuture().join();
            throw new AssertionError("expected a refusal, got " + response.status());
        } catch (GatewayException e) {
            return e;
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(GatewayException.class);
            return (GatewayException) e.getCause();
        }
    }

    private static IncomingRequest request(String method, String path, Map<String, String> params, String query, String body) {
        return new IncomingRequest("req-test", method, path, query, params, Headers.EMPTY,
                body.getBytes(StandardCharsets.UTF_8));
    }
}
