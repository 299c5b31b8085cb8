package dev.shepherd.plugin.policy.cacheaware.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.ParsedRequest;
import dev.shepherd.spi.PluginContext;
import dev.shepherd.spi.Principal;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import dev.shepherd.spi.state.StateStore;
import dev.shepherd.spi.worker.CircuitState;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerLoad;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import dev.shepherd.spi.worker.WorkerStatus;
import dev.shepherd.spi.worker.WorkerType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Minimal kernel stand-ins for the benchmarks: workers with fixed loads, requests, a plugin context. */
final class BenchFixtures {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private BenchFixtures() {
    }

    /** Creates a policy from a factory and a JSON section, as the kernel binds it. */
    static <C extends Record> Policy create(PolicyFactory<C> factory, String section, PluginContext context) {
        try {
            return factory.create(MAPPER.readValue(section, factory.configType()), context);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code count} ready workers with fixed, mildly uneven in-flight counts (0..7). */
    static List<Worker> fleet(int count, long seed) {
        Random random = new Random(seed);
        List<Worker> workers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            workers.add(new BenchWorker("worker-" + i, random.nextInt(8)));
        }
        return List.copyOf(workers);
    }

    /**
     * Chat-like routing texts of about {@code chars} characters: {@code groups} shared system prompts
     * (half the length) followed by per-conversation history, so the tree holds realistic shared prefixes.
     */
    static List<String> prompts(int count, int groups, int chars, long seed) {
        Random random = new Random(seed);
        String[] words = {"the", "gateway", "routes", "each", "request", "to", "a", "worker", "whose", "cache",
                          "holds", "its", "prefix", "tokens", "model", "answer", "question", "user", "system", "of"};
        List<String> systems = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            systems.add("system\n" + g + " " + text(random, words, chars / 2) + "\n");
        }
        List<String> prompts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String system = systems.get(i % groups);
            prompts.add(system + "user\n" + i + " " + text(random, words, chars - system.length() - 8) + "\n");
        }
        return prompts;
    }

    private static String text(Random random, String[] words, int chars) {
        StringBuilder text = new StringBuilder(chars + 16);
        while (text.length() < chars) {
            text.append(words[random.nextInt(words.length)]).append(' ');
        }
        text.setLength(Math.max(0, chars));
        return text.toString();
    }

    static GatewayRequest request(String routingText) {
        return new BenchRequest(new BenchParsedRequest(routingText));
    }

    static final class BenchWorker implements Worker, WorkerLoad {

        private final String id;
        private final int inFlight;

        BenchWorker(String id, int inFlight) {
            this.id = id;
            this.inFlight = inFlight;
        }

        @Override public String id() { return id; }
        @Override public String url() { return "http://" + id + ":8000"; }
        @Override public List<String> models() { return List.of(); }
        @Override public WorkerType type() { return WorkerType.REGULAR; }
        @Override public String backend() { return "openai_http"; }
        @Override public Map<String, String> labels() { return Map.of(); }
        @Override public Optional<String> apiKey() { return Optional.empty(); }
        @Override public int priority() { return 50; }
        @Override public double cost() { return 1.0; }
        @Override public WorkerStatus status() { return WorkerStatus.READY; }
        @Override public CircuitState circuitState() { return CircuitState.CLOSED; }
        @Override public WorkerLoad load() { return this; }
        @Override public int inFlight() { return inFlight; }
        @Override public long queuedPromptTokens() { return 0; }
        @Override public double kvCacheUsage() { return -1; }
    }

    record BenchParsedRequest(String routingText) implements ParsedRequest {
        @Override public String kind() { return "chat"; }
        @Override public String model() { return "bench-model"; }
        @Override public boolean stream() { return false; }
        @Override public String upstreamPath() { return "/v1/chat/completions"; }
        @Override public byte[] body() { return routingText.getBytes(StandardCharsets.UTF_8); }
        @Override public JsonNode json() { return JsonNodeFactory.instance.objectNode(); }
        @Override public ParsedRequest withModel(String newModel) { return this; }
    }

    record BenchRequest(ParsedRequest parsed) implements GatewayRequest {
        @Override public String id() { return "bench"; }
        @Override public Headers headers() { return Headers.EMPTY; }
        @Override public Optional<Principal> principal() { return Optional.empty(); }
        @Override public String tenant() { return "default"; }
        @Override public int priority() { return 0; }
        @Override public Instant deadline() { return Instant.MAX; }
    }

    /** A plugin context whose blocking executor runs tasks inline (eviction in the benchmark thread, measured). */
    static final class BenchContext implements PluginContext, AutoCloseable {

        private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        private final ExecutorService inline = new java.util.concurrent.AbstractExecutorService() {
            @Override public void execute(Runnable command) { command.run(); }
            @Override public void shutdown() { }
            @Override public List<Runnable> shutdownNow() { return List.of(); }
            @Override public boolean isShutdown() { return false; }
            @Override public boolean isTerminated() { return false; }
            @Override public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) { return true; }
        };

        SimpleMeterRegistry meters() { return meters; }
        @Override public ObjectMapper objectMapper() { return MAPPER; }
        @Override public MeterRegistry meterRegistry() { return meters; }
        @Override public Tracer tracer() { return TracerProvider.noop().get("bench"); }
        @Override public ExecutorService blockingExecutor() { return inline; }
        @Override public ScheduledExecutorService scheduler() { return scheduler; }
        @Override public Clock clock() { return Clock.systemUTC(); }
        @Override public WorkerRegistryView workers() { throw new UnsupportedOperationException(); }
        @Override public WorkerRegistryWriter workerWriter() { throw new UnsupportedOperationException(); }
        @Override public StateStore stateStore() { throw new UnsupportedOperationException(); }
        @Override public Path dataDirectory() { throw new UnsupportedOperationException(); }
        @Override public <R> Optional<R> sharedResource(Class<R> type) { return Optional.empty(); }
        @Override public void close() { scheduler.shutdownNow(); meters.close(); }
    }
}
