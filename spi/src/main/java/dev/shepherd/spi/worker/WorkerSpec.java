package dev.shepherd.spi.worker;

import java.util.List;
import java.util.Map;

/**
 * What is needed to register a worker (the body of {@code POST /workers} and a manifest
 * {@code workers} entry). Missing optional fields take SMG's defaults.
 *
 * @param url the worker's base URL (http or https)
 * @param models model ids; empty to discover them from the worker at registration
 * @param type the worker's role
 * @param backend the backend plugin name; {@code openai_http} when null
 * @param labels free-form labels
 * @param apiKey bearer token sent to the worker; may be null
 * @param priority SMG's priority (50)
 * @param cost SMG's relative cost (1.0)
 * @param dpRank the data-parallel rank this worker stands for (SMG's {@code dp_rank}); null when the
 *               worker is not one rank of a data-parallel engine. A spec with a rank registers that
 *               one logical worker, {@code url@rank}, sending requests to {@code url}
 * @param dpSize the engine's data-parallel size (SMG's {@code dp_size}); null to ask the engine when
 *               the gateway is DP-aware (treated as 1 when it cannot tell)
 */
public record WorkerSpec(String url, List<String> models, WorkerType type, String backend,
                         Map<String, String> labels, String apiKey, Integer priority, Double cost,
                         Integer dpRank, Integer dpSize) {

    public static final String DEFAULT_BACKEND = "openai_http";

    public WorkerSpec {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a worker needs a 'url'");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("worker url must start with http:// or https://: " + url);
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        models = models == null ? List.of() : List.copyOf(models);
        type = type == null ? WorkerType.REGULAR : type;
        backend = backend == null || backend.isBlank() ? DEFAULT_BACKEND : backend;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        priority = priority == null ? 50 : priority;
        cost = cost == null ? 1.0 : cost;
        if (dpSize != null && dpSize < 1) {
            throw new IllegalArgumentException("dp_size must be at least 1, got " + dpSize);
        }
        if (dpRank != null && (dpRank < 0 || dpSize != null && dpRank >= dpSize)) {
            throw new IllegalArgumentException("dp_rank must be within [0, dp_size), got " + dpRank
                    + (dpSize == null ? "" : " of " + dpSize));
        }
    }

    /** A spec without data parallelism (the shape before {@code dp_rank}/{@code dp_size} existed). */
    public WorkerSpec(String url, List<String> models, WorkerType type, String backend,
                      Map<String, String> labels, String apiKey, Integer priority, Double cost) {
        this(url, models, type, backend, labels, apiKey, priority, cost, null, null);
    }

    /** A regular worker at {@code url} whose models are discovered at registration. */
    public static WorkerSpec of(String url) {
        return new WorkerSpec(url, null, null, null, null, null, null, null);
    }

    public WorkerSpec withModels(List<String> newModels) {
        return new WorkerSpec(url, newModels, type, backend, labels, apiKey, priority, cost, dpRank, dpSize);
    }

    /** This spec as rank {@code rank} of an engine with {@code size} data-parallel ranks. */
    public WorkerSpec withDpRank(int rank, int size) {
        return new WorkerSpec(url, models, type, backend, labels, apiKey, priority, cost, rank, size);
    }

    /**
     * The worker's logical URL: {@code url@rank} for one rank of a data-parallel engine (SMG's naming),
     * else {@link #url()}. Unique per registered worker; requests still go to {@link #url()}.
     */
    public String logicalUrl() {
        return dpRank == null ? url : url + "@" + dpRank;
    }
}
