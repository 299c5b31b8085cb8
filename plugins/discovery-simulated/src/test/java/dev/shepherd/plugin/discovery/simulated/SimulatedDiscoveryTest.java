package dev.shepherd.plugin.discovery.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerEvent;
import dev.shepherd.spi.worker.WorkerRegistryView;
import dev.shepherd.spi.worker.WorkerRegistryWriter;
import dev.shepherd.spi.worker.WorkerSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SimulatedDiscoveryTest {

    private final List<WorkerSpec> registered = new ArrayList<>();
    private final WorkerRegistryWriter writer = new WorkerRegistryWriter() {
        @Override
        public CompletionStage<Worker> register(WorkerSpec spec) {
            registered.add(spec);
            return new CompletableFuture<>();
        }

        @Override
        public boolean deregister(String workerId) {
            return false;
        }
    };

    @Test
    void startsAndRegistersServingEnginesThenStopsThem() throws Exception {
        SimulatedDiscovery discovery = new SimulatedDiscovery(new SimulatedDiscoveryConfig(2, "m", 0.0, true), registry(List.of()));
        try {
            discovery.start(writer);

            assertThat(registered).hasSize(2).allSatisfy(spec -> assertThat(spec.models()).containsExactly("m"));
            HttpClient http = HttpClient.newHttpClient();
            for (WorkerSpec spec : registered) {
                HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(spec.url() + "/v1/models")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(models.body()).contains("\"m\"");
            }
        } finally {
            discovery.close();
        }
        assertThat(discovery.engines()).isEmpty();
    }

    @Test
    void staysOffWhenWorkersAreConfigured() {
        Worker configured = (Worker) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Worker.class}, (proxy, method, args) -> null);
        SimulatedDiscovery discovery = new SimulatedDiscovery(new SimulatedDiscoveryConfig(null, null, null, null),
                registry(List.of(configured)));

        discovery.start(writer);

        assertThat(registered).isEmpty();
        discovery.close();
    }

    @Test
    void bindsDefaultsAndRejectsBadValues() throws Exception {
        ObjectMapper binding = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

        SimulatedDiscoveryConfig defaults = binding.readValue("{}", SimulatedDiscoveryConfig.class);
        assertThat(defaults).isEqualTo(new SimulatedDiscoveryConfig(2, "sim-model", 1.0, true));
        assertThat(binding.readValue("{\"workers\":3,\"model\":\"x\",\"decode_ms\":0,\"only_without_static_workers\":false}",
                SimulatedDiscoveryConfig.class)).isEqualTo(new SimulatedDiscoveryConfig(3, "x", 0.0, false));
        assertThatThrownBy(() -> binding.readValue("{\"wrkers\":3}", SimulatedDiscoveryConfig.class))
                .hasMessageContaining("wrkers");
        assertThatThrownBy(() -> new SimulatedDiscoveryConfig(0, null, null, null)).hasMessageContaining("workers");
    }

    @Test
    void factoryIsNamedSimulated() {
        SimulatedDiscoveryFactory factory = new SimulatedDiscoveryFactory();
        assertThat(factory.name()).isEqualTo("simulated");
        assertThat(factory.configType()).isEqualTo(SimulatedDiscoveryConfig.class);
    }

    private static WorkerRegistryView registry(List<Worker> workers) {
        return new WorkerRegistryView() {
            @Override
            public List<Worker> all() {
                return workers;
            }

            @Override
            public List<Worker> forModel(String model) {
                return workers;
            }

            @Override
            public Optional<Worker> get(String id) {
                return Optional.empty();
            }

            @Override
            public List<String> models() {
                return List.of();
            }

            @Override
            public AutoCloseable addListener(Consumer<WorkerEvent> listener) {
                return () -> { };
            }
        };
    }
}
