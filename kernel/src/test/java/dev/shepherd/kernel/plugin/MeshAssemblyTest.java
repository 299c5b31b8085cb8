package dev.shepherd.kernel.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shepherd.kernel.manifest.ManifestException;
import dev.shepherd.kernel.manifest.ManifestLoader;
import dev.shepherd.kernel.manifest.Mappers;
import dev.shepherd.kernel.state.LocalStateStore;
import dev.shepherd.kernel.worker.WorkerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshAssemblyTest {

    @TempDir
    Path dir;

    @Test
    void noMeshUnlessEnabledAndANamedMeshThatIsNotLoadedStopsStartUp() throws Exception {
        try (PluginHost host = new PluginHost(dir.resolve("no-plugins"), List.of())) {
            WorkerRegistry registry = new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of()), true);
            KernelServices services = new KernelServices(Mappers.shared(), new SimpleMeterRegistry(),
                    OpenTelemetry.noop().getTracer("test"), null, null, Clock.systemUTC(), registry, registry,
                    new LocalStateStore(), dir, Map.of());
            assertThat(MeshAssembly.create(ManifestLoader.load(null, Map.of()), host, services)).isNull();

            Path file = Files.writeString(dir.resolve("smg.yaml"), "mesh:\n  enabled: true\n  config: {port: 1}\n");
            ManifestException fault = catchThrowableOfType(ManifestException.class,
                    () -> MeshAssembly.create(ManifestLoader.load(file, Map.of()), host, services));
            assertThat(fault.getMessage()).contains("mesh.plugin").contains("no mesh plugin named 'gossip' is loaded");
        }
    }
}
