package dev.shepherd.plugin.backend.openaihttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.spi.backend.UpstreamRequest;
import dev.shepherd.spi.worker.Worker;
import java.io.IOException;
import java.util.OptionalInt;

/**
 * Tells a data-parallel engine which rank serves a request, as SMG does over HTTP: a top-level
 * {@code "data_parallel_rank": <rank>} in the JSON body. Only requests to a worker with a rank are
 * parsed and rewritten, so other traffic pays nothing.
 */
final class DataParallelRank {

    static final String FIELD = "data_parallel_rank";

    private final ObjectMapper mapper;

    DataParallelRank(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code request} with the worker's rank in its body; unchanged for a worker without a rank or a non-object body. */
    UpstreamRequest apply(Worker worker, UpstreamRequest request) {
        OptionalInt rank = worker.dpRank();
        if (rank.isEmpty() || request.body() == null || request.body().length == 0) {
            return request;
        }
        byte[] body = withRank(request.body(), rank.getAsInt());
        return body == request.body() ? request : new UpstreamRequest(request.method(), request.path(), request.headers(),
                body, request.stream(), request.timeout(), request.ioExecutor());
    }

    private byte[] withRank(byte[] body, int rank) {
        try {
            JsonNode json = mapper.readTree(body);
            if (!(json instanceof ObjectNode object)) {
                return body;
            }
            object.put(FIELD, rank);
            return mapper.writeValueAsBytes(object);
        } catch (IOException e) {
            // Not JSON: the engine judges the body as sent, the gateway does not invent a failure.
            return body;
        }
    }
}
