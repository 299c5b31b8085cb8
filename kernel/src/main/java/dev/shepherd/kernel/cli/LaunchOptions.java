package dev.shepherd.kernel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * SMG's launch flags. Each flag that is given overrides one manifest key; flags not given leave
 * the manifest (or its defaults) alone. Names and defaults match {@code smg launch}.
 */
final class LaunchOptions {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Option(names = "--config", description = "Manifest file (YAML). Default: the built-in defaults.")
    Path config;

    @Option(names = "--host", description = "Address to bind (default 0.0.0.0).")
    String host;

    @Option(names = "--port", description = "Port to listen on (default 30000).")
    Integer port;

    @Option(names = "--worker-urls", arity = "1..*", description = "Worker base URLs.")
    List<String> workerUrls;

    @Option(names = "--policy", description = "Routing policy (default cache_aware).")
    String policy;

    @Option(names = "--max-payload-size", description = "Largest request body in bytes (default 536870912).")
    Long maxPayloadSize;

    @Option(names = "--request-timeout-secs", description = "Request timeout in seconds (default 1800).")
    Integer requestTimeoutSecs;

    @Option(names = "--shutdown-grace-period-secs", description = "Drain time at shutdown (default 180).")
    Integer shutdownGracePeriodSecs;

    @Option(names = "--api-key", description = "Key sent to workers; also the admin key without control-plane keys.")
    String apiKey;

    @Option(names = "--control-plane-api-keys", arity = "1..*", description = "id:name:role:key entries for admin routes.")
    List<String> controlPlaneApiKeys;

    @Option(names = "--request-id-headers", arity = "1..*", description = "Headers to read a request id from.")
    List<String> requestIdHeaders;

    @Option(names = "--log-level", description = "debug, info, warn or error (default info).")
    String logLevel;

    @Option(names = "--log-json", description = "Log one JSON object per line.")
    Boolean logJson;

    @Option(names = "--log-dir", description = "Also write a daily rolling smg.log into this directory.")
    String logDir;

    @Option(names = "--enable-trace", description = "Export an OpenTelemetry trace per request over OTLP/HTTP.")
    Boolean enableTrace;

    @Option(names = "--otlp-traces-endpoint",
            description = "OTLP/HTTP collector, host:port or URL (default localhost:4318).")
    String otlpTracesEndpoint;

    @Option(names = "--health-check-interval-secs", description = "Seconds between probes (default 60).")
    Integer healthCheckIntervalSecs;

    @Option(names = "--health-check-timeout-secs", description = "Probe timeout (default 5).")
    Integer healthCheckTimeoutSecs;

    @Option(names = "--health-failure-threshold", description = "Failed probes before unhealthy (default 3).")
    Integer healthFailureThreshold;

    @Option(names = "--health-success-threshold", description = "Good probes before healthy again (default 2).")
    Integer healthSuccessThreshold;

    @Option(names = "--health-check-endpoint", description = "Path probed (default /health).")
    String healthCheckEndpoint;

    @Option(names = "--disable-health-check", description = "No active health checks.")
    Boolean disableHealthCheck;

    @Option(names = "--retry-max-retries", description = "Attempts per request, the first included (default 5).")
    Integer retryMaxRetries;

    @Option(names = "--disable-retries", description = "Never retry.")
    Boolean disableRetries;

    @Option(names = "--retry-initial-backoff-ms", description = "First retry delay (default 50).")
    Long retryInitialBackoffMs;

    @Option(names = "--retry-max-backoff-ms", description = "Largest retry delay (default 30000).")
    Long retryMaxBackoffMs;

    @Option(names = "--retry-backoff-multiplier", description = "Delay growth per retry (default 1.5).")
    Double retryBackoffMultiplier;

    @Option(names = "--retry-jitter-factor", description = "Random spread of delays, 0..1 (default 0.2).")
    Double retryJitterFactor;

    @Option(names = "--cb-failure-threshold", description = "Failures that open a worker's circuit (default 10).")
    Integer cbFailureThreshold;

    @Option(names = "--cb-success-threshold", description = "Half-open successes that close it (default 3).")
    Integer cbSuccessThreshold;

    @Option(names = "--cb-timeout-duration-secs", description = "Seconds open before half-open (default 60).")
    Integer cbTimeoutDurationSecs;

    @Option(names = "--cb-window-duration-secs", description = "Window for counting failures (default 120).")
    Integer cbWindowDurationSecs;

    @Option(names = "--disable-circuit-breaker", description = "No circuit breakers.")
    Boolean disableCircuitBreaker;

    @Option(names = "--max-concurrent-requests", description = "Requests in flight at once, -1 for no limit (default -1).")
    Integer maxConcurrentRequests;

    @Option(names = "--queue-size", description = "Requests that may wait for a slot (default 100).")
    Integer queueSize;

    @Option(names = "--queue-timeout-secs", description = "Longest wait in the queue (default 60).")
    Integer queueTimeoutSecs;

    @Option(names = "--rate-limit-tokens-per-second", description = "Gateway-wide token bucket refill, one token per request.")
    Double rateLimitTokensPerSecond;

    @Option(names = "--trust-tenant-header", description = "Take the tenant from --tenant-header-name.")
    Boolean trustTenantHeader;

    @Option(names = "--tenant-header-name", description = "Tenant header (default x-smg-tenant-id).")
    String tenantHeaderName;

    @Option(names = "--priority-scheduler-enabled", description = "Priority classes from X-SMG-Priority.")
    Boolean prioritySchedulerEnabled;

    @Option(names = "--routing-key-override", description = "Honour X-SMG-Routing-Key for sticky routing under any policy.")
    Boolean routingKeyOverride;

    @Option(names = "--dp-aware", description = "Register each engine as one worker per data-parallel rank (dp_size).")
    Boolean dpAware;

    @Option(names = "--cache-threshold", description = "cache_aware: prompt share that must match to follow the cache (default 0.3).")
    Double cacheThreshold;

    @Option(names = "--balance-abs-threshold", description = "cache_aware: in-flight difference that triggers load balancing (default 64).")
    Integer balanceAbsThreshold;

    @Option(names = "--balance-rel-threshold", description = "cache_aware: in-flight ratio that triggers load balancing (default 1.5).")
    Double balanceRelThreshold;

    @Option(names = "--eviction-interval", description = "cache_aware: seconds between tree evictions (default 120).")
    Integer evictionInterval;

    @Option(names = "--max-tree-size", description = "cache_aware: characters kept per worker in the tree (default 67108864).")
    Long maxTreeSize;

    @Option(names = "--balance-token-usage-threshold",
            description = "cache_aware: KV-usage spread that triggers load balancing; >= 1 disables (default 1.0).")
    Double balanceTokenUsageThreshold;

    @Option(names = "--overload-token-usage-threshold",
            description = "cache_aware: KV usage above which a worker sheds load; >= 1 disables (default 1.0).")
    Double overloadTokenUsageThreshold;

    @Option(names = "--load-monitor-interval", description = "Seconds between worker load polls (default 10).")
    Integer loadMonitorInterval;

    @Option(names = "--prefix-token-count", description = "prefix_hash: prompt tokens hashed (default 256).")
    Integer prefixTokenCount;

    @Option(names = "--prefix-hash-load-factor", description = "prefix_hash: load bound factor (default 1.25).")
    Double prefixHashLoadFactor;

    @Option(names = "--max-idle-secs", description = "manual: idle eviction of sticky keys (default 14400).")
    Integer maxIdleSecs;

    @Option(names = "--assignment-mode", description = "manual: random, min_load or min_group (default random).")
    String assignmentMode;

    @Option(names = "--least-load-kv-pressure-weight", description = "least_load: KV-pressure weight (default 0.15).")
    Double leastLoadKvPressureWeight;

    @Option(names = "--least-load-default-throughput", description = "least_load: fallback tokens/s (default 2000).")
    Double leastLoadDefaultThroughput;

    @Option(names = "--least-load-mean-prefill-tokens", description = "least_load: mean prefill tokens (default 1024).")
    Integer leastLoadMeanPrefillTokens;

    @Option(names = "--plugins-dir", description = "Directory of drop-in plugins (default plugins).")
    String pluginsDir;

    @Option(names = "--prometheus-host", description = "Address of the Prometheus metrics listener (default 0.0.0.0).")
    String prometheusHost;

    @Option(names = "--prometheus-port", description = "Port of the Prometheus metrics listener, 0 for any (default 29000).")
    Integer prometheusPort;

    @Option(names = "--prometheus-duration-buckets", arity = "1..*", split = ",",
            description = "Histogram buckets in seconds for duration, TTFT and TPOT metrics (default SMG's, 0.001 to 7200).")
    List<Double> prometheusDurationBuckets;

    @Option(names = {"--enable-mesh"}, description = "Join a gateway mesh (HA): replicated workers and state.")
    Boolean enableMesh;

    @Option(names = "--mesh-server-name", description = "This node's name in the mesh (default its advertised host:port).")
    String meshServerName;

    @Option(names = "--mesh-host", description = "Bind address of the mesh listener (default 0.0.0.0).")
    String meshHost;

    @Option(names = "--mesh-advertise-host", description = "Address peers reach this node at (needed when binding 0.0.0.0).")
    String meshAdvertiseHost;

    @Option(names = {"--mesh-port"}, description = "Port of the mesh listener (default 39527).")
    Integer meshPort;

    @Option(names = "--mesh-advertise-port", description = "Port peers dial when it differs from --mesh-port (NAT).")
    Integer meshAdvertisePort;

    @Option(names = {"--mesh-peer-urls", "--ha-mesh", "--seeds"}, arity = "1..*", split = ",",
            description = "Seed peers (host:port) to join through; implies --enable-mesh.")
    List<String> meshPeerUrls;

    /** JSON pointer to value, for every flag given. */
    Map<String, JsonNode> overrides() {
        Map<String, JsonNode> o = new LinkedHashMap<>();
        put(o, "/server/host", host);
        put(o, "/server/port", port);
        put(o, "/server/max_payload_size", maxPayloadSize);
        put(o, "/server/request_timeout_secs", requestTimeoutSecs);
        put(o, "/server/shutdown_grace_period_secs", shutdownGracePeriodSecs);
        put(o, "/server/api_key", apiKey);
        putList(o, "/server/control_plane_api_keys", controlPlaneApiKeys);
        putList(o, "/server/request_id_headers", requestIdHeaders);
        putList(o, "/workers", workerUrls);
        put(o, "/routing/policy", policy);
        put(o, "/logging/level", logLevel);
        put(o, "/logging/json", logJson);
        put(o, "/logging/dir", logDir);
        put(o, "/observability/tracing/enabled", enableTrace);
        put(o, "/observability/tracing/otlp_traces_endpoint", otlpTracesEndpoint);
        put(o, "/health/check_interval_secs", healthCheckIntervalSecs);
        put(o, "/health/check_timeout_secs", healthCheckTimeoutSecs);
        put(o, "/health/failure_threshold", healthFailureThreshold);
        put(o, "/health/success_threshold", healthSuccessThreshold);
        put(o, "/health/endpoint", healthCheckEndpoint);
        put(o, "/health/disabled", disableHealthCheck);
        put(o, "/resilience/max_retries", retryMaxRetries);
        put(o, "/resilience/disable_retries", disableRetries);
        put(o, "/resilience/initial_backoff_ms", retryInitialBackoffMs);
        put(o, "/resilience/max_backoff_ms", retryMaxBackoffMs);
        put(o, "/resilience/backoff_multiplier", retryBackoffMultiplier);
        put(o, "/resilience/jitter_factor", retryJitterFactor);
        put(o, "/resilience/cb_failure_threshold", cbFailureThreshold);
        put(o, "/resilience/cb_success_threshold", cbSuccessThreshold);
        put(o, "/resilience/cb_timeout_duration_secs", cbTimeoutDurationSecs);
        put(o, "/resilience/cb_window_duration_secs", cbWindowDurationSecs);
        put(o, "/resilience/disable_circuit_breaker", disableCircuitBreaker);
        put(o, "/admission/max_concurrent_requests", maxConcurrentRequests);
        put(o, "/admission/queue_size", queueSize);
        put(o, "/admission/queue_timeout_secs", queueTimeoutSecs);
        put(o, "/admission/rate_limit_tokens_per_second", rateLimitTokensPerSecond);
        put(o, "/admission/trust_tenant_header", trustTenantHeader);
        put(o, "/admission/tenant_header_name", tenantHeaderName);
        put(o, "/admission/priority_scheduler/enabled", prioritySchedulerEnabled);
        put(o, "/routing/routing_key_override", routingKeyOverride);
        put(o, "/routing/dp_aware", dpAware);
        put(o, "/routing/policies/cache_aware/cache_threshold", cacheThreshold);
        put(o, "/routing/policies/cache_aware/balance_abs_threshold", balanceAbsThreshold);
        put(o, "/routing/policies/cache_aware/balance_rel_threshold", balanceRelThreshold);
        put(o, "/routing/policies/cache_aware/eviction_interval_secs", evictionInterval);
        put(o, "/routing/policies/cache_aware/max_tree_size", maxTreeSize);
        put(o, "/routing/policies/cache_aware/balance_token_usage_threshold", balanceTokenUsageThreshold);
        put(o, "/routing/policies/cache_aware/overload_token_usage_threshold", overloadTokenUsageThreshold);
        put(o, "/routing/load_monitor_interval_secs", loadMonitorInterval);
        put(o, "/routing/policies/prefix_hash/prefix_token_count", prefixTokenCount);
        put(o, "/routing/policies/prefix_hash/load_factor", prefixHashLoadFactor);
        put(o, "/routing/policies/manual/max_idle_secs", maxIdleSecs);
        put(o, "/routing/policies/manual/assignment_mode", assignmentMode);
        put(o, "/routing/policies/least_load/kv_pressure_weight", leastLoadKvPressureWeight);
        put(o, "/routing/policies/least_load/default_throughput", leastLoadDefaultThroughput);
        put(o, "/routing/policies/least_load/mean_prefill_tokens", leastLoadMeanPrefillTokens);
        put(o, "/plugins/directory", pluginsDir);
        put(o, "/observability/prometheus_host", prometheusHost);
        put(o, "/observability/prometheus_port", prometheusPort);
        putNumbers(o, "/observability/prometheus_duration_buckets", prometheusDurationBuckets);
        put(o, "/mesh/enabled", meshPeerUrls != null ? Boolean.TRUE : enableMesh);
        put(o, "/mesh/config/node_name", meshServerName);
        put(o, "/mesh/config/host", meshHost);
        put(o, "/mesh/config/advertise_host", meshAdvertiseHost);
        put(o, "/mesh/config/port", meshPort);
        put(o, "/mesh/config/advertise_port", meshAdvertisePort);
        putList(o, "/mesh/config/seeds", meshPeerUrls);
        return o;
    }

    private static void put(Map<String, JsonNode> o, String pointer, Object value) {
        if (value != null) {
            o.put(pointer, toNode(value));
        }
    }

    private static JsonNode toNode(Object value) {
        return switch (value) {
            case String s -> NODES.textNode(s);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Boolean b -> NODES.booleanNode(b);
            case Double d -> NODES.numberNode(d);
            default -> NODES.textNode(value.toString());
        };
    }

    private static void putNumbers(Map<String, JsonNode> o, String pointer, List<Double> values) {
        if (values != null) {
            ArrayNode array = NODES.arrayNode();
            values.forEach(array::add);
            o.put(pointer, array);
        }
    }

    private static void putList(Map<String, JsonNode> o, String pointer, List<String> values) {
        if (values != null) {
            ArrayNode array = NODES.arrayNode();
            values.forEach(array::add);
            o.put(pointer, array);
        }
    }
}
