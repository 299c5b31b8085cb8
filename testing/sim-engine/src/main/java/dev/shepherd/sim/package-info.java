/**
 * A simulated LLM inference engine (vLLM/SGLang-like HTTP API, no GPU) for testing and benchmarking
 * the Shepherd gateway. The public API is small: {@link dev.shepherd.sim.SimEngine} (start, url, faults,
 * stats, close), {@link dev.shepherd.sim.SimEngineConfig}, {@link dev.shepherd.sim.FaultSettings} and
 * {@link dev.shepherd.sim.SimFaults} for fault injection, {@link dev.shepherd.sim.SimStats} with
 * {@link dev.shepherd.sim.RecordedRequest} for what the engine received, and
 * {@link dev.shepherd.sim.SimEngineMain} for running it as a process. Everything else is package-private.
 */
package dev.shepherd.sim;
