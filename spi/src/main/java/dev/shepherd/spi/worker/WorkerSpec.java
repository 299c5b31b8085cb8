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
 */
public record WorkerSpec(String url, List<String> models, WorkerType type, String backend,
                         Map<String, String> labels, String apiKey, Integer priority, Double cost) {

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
    }

    /** A regular worker at {@code url} whose models are discovered at registration. */
    public static WorkerSpec of(String url) {
        return new WorkerSpec(url, null, null, null, null, null, null, null);
    }

    public WorkerSpec withModels(List<String> newModels) {
        return new WorkerSpec(url, newModels, type, backend, labels, apiKey, priority, cost);
    }
}
