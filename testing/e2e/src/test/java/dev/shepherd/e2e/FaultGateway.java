package dev.shepherd.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.shepherd.sim.SimEngine;
import dev.shepherd.testkit.GatewayProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The assembled gateway for a fault test: launched with a manifest written to a temporary directory
 * plus flags, in front of simulated engines; its output is kept in {@code target/fault-logs} when it
 * stops, so a failure can be read afterwards.
 */
final class FaultGateway implements AutoCloseable {

    /** Longest wait for the gateway to notice a change (health probes, breaker timeouts). */
    static final Duration STATE_CHANGE = Duration.ofSeconds(30);

    private final GatewayProcess process;
    private final String name;

    private FaultGateway(GatewayProcess process, String name) {
        this.process = process;
        this.name = name;
    }

    /**
     * Launches {@code smg launch --config <dir>/<name>.yaml --worker-urls <engines> <flags>}; the manifest
     * holds the keys that have no flag. Returns once every engine is a ready worker.
     */
    static FaultGateway launch(String name, Path dir, String manifest, List<SimEngine> engines, String... flags) {
        return launchUrls(name, dir, manifest, engines.stream().map(SimEngine::url).toList(), flags);
    }

    /** As {@link #launch}, for workers given by URL. */
    static FaultGateway launchUrls(String name, Path dir, String manifest, List<String> workerUrls, String... flags) {
        Path config = dir.resolve(name + ".yaml");
        try {
            Files.writeString(config, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Any free port for the metrics listener: several gateways may run at once.
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--prometheus-port", "0", "--worker-urls"));
        args.addAll(workerUrls);
        args.addAll(Arrays.asList(flags));
        FaultGateway gateway = new FaultGateway(GatewayProcess.launch(Duration.ofSeconds(60), args.toArray(String[]::new)), name);
        try {
            gateway.awaitAvailable(workerUrls.size());
        } catch (RuntimeException | Error e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    String baseUrl() {
        return process.baseUrl();
    }

    String output() {
        return process.output();
    }

    /** The workers as {@code GET /workers} lists them. */
    List<JsonNode> workers() {
        JsonNode list = Http.json(Http.get(baseUrl() + "/workers")).path("workers");
        return StreamSupport.stream(list.spliterator(), false).toList();
    }

    /** The worker registered for an engine, or a missing node once it is gone. */
    JsonNode worker(SimEngine engine) {
        return workers().stream().filter(w -> w.path("url").asText().equals(engine.url())).findFirst()
                .orElse(MissingNode.getInstance());
    }

    String status(SimEngine engine) {
        return worker(engine).path("status").asText("absent");
    }

    String circuit(SimEngine engine) {
        return worker(engine).path("circuit_state").asText("absent");
    }

    /** Waits until {@code count} workers are ready with a closed circuit. */
    void awaitAvailable(int count) {
        await().atMost(STATE_CHANGE).until(() -> workers().stream()
                .filter(w -> w.path("status").asText().equals("ready") && w.path("circuit_state").asText().equals("closed"))
                .count() == count);
    }

    @Override
    public void close() {
        process.close();
        try {
            Path logs = Path.of("target", "fault-logs");
            Files.createDirectories(logs);
            Files.writeString(logs.resolve(name + ".log"), process.output());
        } catch (IOException e) {
            // the log is a convenience; the test's own result stands
        }
    }
}
