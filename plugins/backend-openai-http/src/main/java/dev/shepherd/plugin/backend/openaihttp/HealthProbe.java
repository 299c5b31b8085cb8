package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.backend.ProbeResult;
import dev.shepherd.spi.worker.Worker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Probes a worker's health endpoint: healthy on a 2xx answer in time; otherwise unhealthy with the
 * status or the failure as detail. Never completes exceptionally: a failed probe is a result.
 */
final class HealthProbe {

    private final UpstreamClient client;

    HealthProbe(UpstreamClient client) {
        this.client = client;
    }

    CompletionStage<ProbeResult> probe(Worker worker, String path, Duration timeout) {
        String probePath = path.startsWith("/") ? path : "/" + path;
        try {
            return client.get(worker.url(), worker.apiKey(), probePath, timeout, CollectingSink.discardingBody())
                    .handle((response, error) -> error == null
                            ? new ProbeResult(response.isSuccess(), String.valueOf(response.status()))
                            : new ProbeResult(false, describe(error)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new ProbeResult(false, describe(e)));
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
