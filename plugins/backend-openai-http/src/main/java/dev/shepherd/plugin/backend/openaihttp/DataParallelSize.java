package dev.shepherd.plugin.backend.openaihttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.worker.WorkerSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an engine how many data-parallel ranks it runs: SGLang's {@code GET /get_server_info} answers
 * {@code dp_size}. An engine without that endpoint or field (vLLM, a cloud provider) runs one, as SMG
 * assumes; only an unreachable engine completes exceptionally.
 */
final class DataParallelSize {

    static final String SERVER_INFO_PATH = "/get_server_info";

    private static final Logger LOG = LoggerFactory.getLogger(DataParallelSize.class);

    private final UpstreamClient client;
    private final ObjectMapper mapper;

    DataParallelSize(UpstreamClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    CompletionStage<Integer> ask(WorkerSpec spec, Duration timeout) {
        return client.get(spec.url(), Optional.ofNullable(spec.apiKey()), SERVER_INFO_PATH, timeout,
                CollectingSink.keepingBody()).thenApply(response -> {
                    if (!response.isSuccess()) {
                        LOG.debug("{}{} answered {}: taking dp_size 1", spec.url(), SERVER_INFO_PATH, response.status());
                        return 1;
                    }
                    return dpSize(response.body());
                });
    }

    private int dpSize(byte[] body) {
        try {
            JsonNode size = mapper.readTree(body).path("dp_size");
            return size.canConvertToInt() && size.asInt() >= 1 ? size.asInt() : 1;
        } catch (IOException e) {
            return 1;
        }
    }
}
