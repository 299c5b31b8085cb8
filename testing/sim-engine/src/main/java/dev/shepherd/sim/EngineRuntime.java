package dev.shepherd.sim;

/**
 * The parts of one running engine that its endpoints share: configuration, the model, the prefix
 * cache, the batch, the timing model, counters, faults and stats.
 *
 * @param crash closes the listener and drops every connection (the die faults); safe on any thread
 */
record EngineRuntime(
    SimEngineConfig config,
    ServedModels models,
    GenerationRequestParser parser,
    PrefixCache prefixCache,
    BatchScheduler scheduler,
    EngineTiming timing,
    EngineCounters counters,
    FaultInjector faultInjector,
    SimFaults faults,
    SimStats stats,
    Runnable crash,
    long startedEpochSeconds) {
}
