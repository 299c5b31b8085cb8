package dev.shepherd.kernel.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.kernel.worker.RegisteredWorker;
import dev.shepherd.kernel.worker.WorkerRegistry;
import dev.shepherd.kernel.worker.WorkerReplication;
import dev.shepherd.spi.mesh.MeshStatus;
import dev.shepherd.spi.GatewayException;
import dev.shepherd.spi.api.Endpoint;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.api.LocalResponse;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerType;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The kernel's own routes, with SMG's paths and shapes: health probes for orchestrators and the
 * worker registry's API. Worker routes and {@code /get_loads} are admin routes.
 */
public final class ControlPlane {

    private final WorkerRegistry registry;
    private final BooleanSupplier draining;
    private final Duration workerDrainTimeout;
    private final ScheduledExecutorService scheduler;
    private final WorkerReplication replication;
    private final Supplier<MeshStatus> mesh;
    private final Function<String, String> probeOwner;

    public ControlPlane(WorkerRegistry registry, BooleanSupplier draining) {
        this(registry, draining, Duration.ZERO, null);
    }

    public ControlPlane(WorkerRegistry registry, BooleanSupplier draining, Duration workerDrainTimeout,
                        ScheduledExecutorService scheduler) {
        this(registry, draining, workerDrainTimeout, scheduler, null, null);
    }

    /**
     * @param workerDrainTimeout how long a deleted worker may finish its in-flight requests
     * @param scheduler runs the drain checks; null removes workers at once
     * @param replication tells the other gateway nodes about workers added and removed here; may be null
     * @param mesh this node's view of the mesh, reported by {@code /health}; null without a mesh
     */
    public ControlPlane(WorkerRegistry registry, BooleanSupplier draining, Duration workerDrainTimeout,
                        ScheduledExecutorService scheduler, WorkerReplication replication,
                        Supplier<MeshStatus> mesh) {
        this(registry, draining, workerDrainTimeout, scheduler, replication, mesh, url -> null);
    }

    /**
     * @param probeOwner the mesh node that health-checks the worker at a URL, shown as
     *     {@code probe_owner} so an operator can see where a duty went; null for a worker that is
     *     probed by every node (one not replicated, or no mesh)
     */
    public ControlPlane(WorkerRegistry registry, BooleanSupplier draining, Duration workerDrainTimeout,
                        ScheduledExecutorService scheduler, WorkerReplication replication,
                        Supplier<MeshStatus> mesh, Function<String, String> probeOwner) {
        this.probeOwner = probeOwner;
        this.registry = registry;
        this.draining = draining;
        this.workerDrainTimeout = workerDrainTimeout;
        this.scheduler = scheduler;
        this.replication = replication;
        this.mesh = mesh;
    }

    public List<Endpoint> endpoints() {
        return List.of(
                new Endpoint.Local("GET", "/health", false, r -> health()),
                new Endpoint.Local("GET", "/liveness", false, r -> ok()),
                new Endpoint.Local("GET", "/readiness", false, r -> readiness()),
                new Endpoint.Local("GET", "/workers", true, this::listWorkers),
                new Endpoint.Local("POST", "/workers", true, this::addWorker),
                new Endpoint.Local("GET", "/workers/{id}", true, this::getWorker),
                new Endpoint.Local("DELETE", "/workers/{id}", true, this::removeWorker),
                new Endpoint.Local("DELETE", "/workers", true, this::removeWorkersAtUrl),
                new Endpoint.Local("GET", "/get_loads", true, r -> loads()));
    }

    private static CompletionStage<LocalResponse> ok() {
        return CompletableFuture.completedFuture(LocalResponse.text(200, "OK"));
    }

    /**
     * SMG's plain "OK", or with a mesh a JSON body with this node's view of it. Still 200 when
     * partitioned: a minority node keeps serving with the workers it has.
     */
    private CompletionStage<LocalResponse> health() {
        if (mesh == null) {
            return ok();
        }
        MeshStatus status = mesh.get();
        ObjectNode body = Mappers.shared().createObjectNode().put("status", "ok");
        ObjectNode node = body.putObject("mesh");
        node.put("node_id", status.nodeId());
        status.aliveMembers().forEach(node.putArray("alive_members")::add);
        status.suspectMembers().forEach(node.putArray("suspect_members")::add);
        node.put("partitioned", status.partitioned());
        return json(200, body);
    }

    private CompletionStage<LocalResponse> readiness() {
        List<RegisteredWorker> workers = registry.registeredWorkers();
        long healthy = workers.stream().filter(RegisteredWorker::isAvailable).count();
        ObjectNode body = Mappers.shared().createObjectNode();
        int status;
        if (draining.getAsBoolean()) {
            status = 503;
            body.put("status", "not ready").put("reason", "draining");
        } else if (healthy == 0) {
            status = 503;
            body.put("status", "not ready").put("reason", "insufficient healthy workers");
        } else {
            status = 200;
            body.put("status", "ready");
        }
        body.put("healthy_workers", healthy).put("total_workers", workers.size());
        return json(status, body);
    }

    private CompletionStage<LocalResponse> listWorkers(IncomingRequest request) {
        String model = queryParam(request.query(), "model");
        List<RegisteredWorker> workers = registry.registeredWorkers().stream()
                .filter(w -> model == null || w.serves(model)).toList();
        ObjectNode body = Mappers.shared().createObjectNode();
        ArrayNode list = body.putArray("workers");
        workers.forEach(w -> list.add(WorkerJson.of(w, probeOwner.apply(w.url()))));
        body.put("total", workers.size());
        ObjectNode stats = body.putObject("stats");
        stats.put("total_workers", workers.size());
        stats.put("healthy_workers", workers.stream().filter(RegisteredWorker::isAvailable).count());
        stats.put("total_models", registry.models().size());
        stats.put("total_load", workers.stream().mapToLong(RegisteredWorker::inFlight).sum());
        ObjectNode byType = stats.putObject("by_type");
        for (WorkerType type : WorkerType.values()) {
            byType.put(type.wireName(), workers.stream().filter(w -> w.type() == type).count());
        }
        return json(200, body);
    }

    private CompletionStage<LocalResponse> addWorker(IncomingRequest request) {
        WorkerSpec spec;
        try {
            spec = Mappers.binding().readValue(request.body(), WorkerSpec.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            String message = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw GatewayException.badRequest("invalid_worker", null, "Invalid worker: " + message);
        } catch (java.io.IOException e) {
            throw GatewayException.badRequest("invalid_worker", null, "Invalid worker: " + e.getMessage());
        }
        if (spec == null) {
            throw GatewayException.badRequest("invalid_worker", null, "A worker needs at least a 'url'");
        }
        return registry.register(spec).handle((worker, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof IllegalStateException) {
                    throw new GatewayException(409, "invalid_request_error", "worker_exists", "url", cause.getMessage(), null);
                }
                throw GatewayException.badRequest("invalid_worker", null, cause.getMessage());
            }
            if (replication != null) {
                replication.published(spec);
            }
            return new LocalResponse(202, "application/json", java.util.Map.of(),
                    bytes(WorkerJson.of((RegisteredWorker) worker)));
        });
    }

    private CompletionStage<LocalResponse> getWorker(IncomingRequest request) {
        RegisteredWorker worker = registry.registered(request.pathParams().get("id"))
                .orElseThrow(() -> unknownWorker(request.pathParams().get("id")));
        return json(200, WorkerJson.of(worker, probeOwner.apply(worker.url())));
    }

    private CompletionStage<LocalResponse> removeWorker(IncomingRequest request) {
        String id = request.pathParams().get("id");
        String url = registry.registered(id).map(RegisteredWorker::url).orElse(null);
        if (!remove(id)) {
            throw unknownWorker(id);
        }
        if (replication != null && url != null) {
            replication.withdrawn(url);
        }
        ObjectNode body = Mappers.shared().createObjectNode()
                .put("status", scheduler == null ? "removed" : "draining").put("worker_id", id);
        return json(202, body);
    }

    /**
     * {@code DELETE /workers?url=...}: removes the workers registered under a URL. Given an engine's base
     * URL that is every data-parallel rank of it (SMG's {@code --dp-aware} registers one per rank, each
     * with its own id); {@code url@rank} removes one rank.
     */
    private CompletionStage<LocalResponse> removeWorkersAtUrl(IncomingRequest request) {
        String url = queryParam(request.query(), "url");
        if (url == null || url.isBlank()) {
            throw GatewayException.badRequest("invalid_worker", "url", "Give the worker's 'url' as a query parameter");
        }
        List<RegisteredWorker> workers = registry.workersAt(url);
        if (workers.isEmpty()) {
            throw new GatewayException(404, "invalid_request_error", "worker_not_found", "url",
                    "No worker at '" + url + "'", null);
        }
        ObjectNode body = Mappers.shared().createObjectNode().put("status", scheduler == null ? "removed" : "draining");
        ArrayNode ids = body.putArray("worker_ids");
        for (RegisteredWorker worker : workers) {
            if (remove(worker.id())) {
                ids.add(worker.id());
            }
        }
        if (replication != null && !url.contains("@")) {
            replication.withdrawn(url); // a whole engine leaves every node; one rank stays a local change
        }
        return json(202, body);
    }

    private boolean remove(String id) {
        return scheduler == null ? registry.deregister(id) : registry.drainAndRemove(id, workerDrainTimeout, scheduler);
    }

    private CompletionStage<LocalResponse> loads() {
        ObjectNode body = Mappers.shared().createObjectNode();
        ArrayNode list = body.putArray("workers");
        for (RegisteredWorker w : registry.registeredWorkers()) {
            ObjectNode entry = list.addObject();
            entry.put("worker", w.url());
            entry.put("worker_id", w.id());
            entry.put("load", w.inFlight());
            entry.putObject("details").put("in_flight", w.inFlight())
                    .put("queued_prompt_tokens", w.queuedPromptTokens())
                    .put("kv_cache_usage", w.kvCacheUsage());
        }
        return json(200, body);
    }

    private static GatewayException unknownWorker(String id) {
        return new GatewayException(404, "invalid_request_error", "worker_not_found", "id",
                "No worker with id '" + id + "'", null);
    }

    private static String queryParam(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static CompletionStage<LocalResponse> json(int status, ObjectNode body) {
        return CompletableFuture.completedFuture(LocalResponse.json(status, bytes(body)));
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return Mappers.shared().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
