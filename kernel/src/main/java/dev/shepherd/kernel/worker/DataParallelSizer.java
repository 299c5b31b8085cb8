package dev.shepherd.kernel.worker;

import dev.shepherd.spi.worker.WorkerSpec;
import java.util.concurrent.CompletionStage;

/**
 * Asks a worker's engine how many data-parallel ranks it runs (through the worker's backend plugin),
 * so a DP-aware registry can register one logical worker per rank (SMG's {@code --dp-aware}).
 */
@FunctionalInterface
public interface DataParallelSizer {

    /** The engine's {@code dp_size}; may complete exceptionally when the engine cannot be asked. */
    CompletionStage<Integer> dataParallelSize(WorkerSpec spec);
}
