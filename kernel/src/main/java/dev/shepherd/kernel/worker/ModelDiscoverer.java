package dev.shepherd.kernel.worker;

import dev.shepherd.spi.worker.WorkerSpec;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Asks a worker which models it serves (through the worker's backend plugin). */
@FunctionalInterface
public interface ModelDiscoverer {

    CompletionStage<List<String>> discover(WorkerSpec spec);
}
