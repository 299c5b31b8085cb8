package dev.shepherd.kernel.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.kernel.worker.RegisteredWorker;

/** How a worker is shown by the control plane (SMG's WorkerInfo shape, never its API key). */
final class WorkerJson {

    private WorkerJson() {
    }

    static ObjectNode of(RegisteredWorker worker) {
        return of(worker, null);
    }

    /** @param probeOwner the mesh node that health-checks this worker; null when none applies */
    static ObjectNode of(RegisteredWorker worker, String probeOwner) {
        ObjectNode json = Mappers.shared().createObjectNode();
        json.put("id", worker.id());
        // SMG shows each rank of a data-parallel engine as url@rank, with the shared base URL beside it.
        json.put("url", worker.logicalUrl());
        if (worker.dpRank().isPresent()) {
            json.put("dp_base_url", worker.url());
            json.put("dp_rank", worker.dpRank().getAsInt());
            if (worker.spec().dpSize() != null) {
                json.put("dp_size", worker.spec().dpSize());
            }
        }
        json.put("model_id", worker.models().isEmpty() ? "unknown" : worker.models().get(0));
        json.putPOJO("models", worker.models());
        json.put("worker_type", worker.type().wireName());
        json.put("backend", worker.backend());
        json.putPOJO("labels", worker.labels());
        json.put("priority", worker.priority());
        json.put("cost", worker.cost());
        json.put("status", worker.status().wireName());
        json.put("is_healthy", worker.isAvailable());
        json.put("circuit_state", worker.circuitState().wireName());
        json.put("load", worker.inFlight());
        if (probeOwner != null) {
            json.put("probe_owner", probeOwner);
        }
        ObjectNode stats = json.putObject("stats");
        stats.put("in_flight", worker.inFlight());
        stats.put("routed_requests", worker.routedRequests());
        stats.put("failed_requests", worker.failedRequests());
        stats.put("last_probe", worker.lastProbe());
        return json;
    }
}
