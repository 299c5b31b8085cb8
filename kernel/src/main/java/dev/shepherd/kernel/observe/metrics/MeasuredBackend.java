package dev.shepherd.kernel.observe.metrics;

import dev.shepherd.spi.backend.Backend;
import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.LoadReport;
import dev.shepherd.spi.backend.ProbeResult;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamRequest;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A backend whose methods are counted and timed: {@link #call} until it returns (the call itself is
 * asynchronous), {@link #probe} and {@link #discoverModels} until their stages complete.
 */
final class MeasuredBackend implements Backend {

    private final Backend delegate;
    private final PluginCallMetrics.CallMeter call;
    private final PluginCallMetrics.CallMeter probe;
    private final PluginCallMetrics.CallMeter discover;

    MeasuredBackend(Backend delegate, PluginCallMetrics.CallMeter call, PluginCallMetrics.CallMeter probe,
                    PluginCallMetrics.CallMeter discover) {
        this.delegate = delegate;
        this.call = call;
        this.probe = probe;
        this.discover = discover;
    }

    @Override
    public BackendCall call(Worker worker, UpstreamRequest request, ResponseSink sink) {
        long start = System.nanoTime();
        BackendCall result;
        try {
            result = delegate.call(worker, request, sink);
        } catch (RuntimeException | Error e) {
            call.record(start, call.error());
            throw e;
        }
        call.record(start, call.ok());
        return result;
    }

    @Override
    public CompletionStage<List<String>> discoverModels(WorkerSpec spec, Duration timeout) {
        long start = System.nanoTime();
        CompletionStage<List<String>> stage;
        try {
            stage = delegate.discoverModels(spec, timeout);
        } catch (RuntimeException | Error e) {
            discover.record(start, discover.error());
            throw e;
        }
        stage.whenComplete((models, failure) -> discover.record(start, failure == null ? discover.ok() : discover.error()));
        return stage;
    }

    @Override
    public CompletionStage<Optional<LoadReport>> reportLoad(Worker worker, Duration timeout) {
        return delegate.reportLoad(worker, timeout);
    }

    /** Asked once per registration (DP-aware gateways only): passed through, not timed. */
    @Override
    public CompletionStage<Integer> dataParallelSize(WorkerSpec spec, Duration timeout) {
        return delegate.dataParallelSize(spec, timeout);
    }

    @Override
    public CompletionStage<ProbeResult> probe(Worker worker, String path, Duration timeout) {
        long start = System.nanoTime();
        CompletionStage<ProbeResult> stage;
        try {
            stage = delegate.probe(worker, path, timeout);
        } catch (RuntimeException | Error e) {
            probe.record(start, probe.error());
            throw e;
        }
        stage.whenComplete((result, failure) -> probe.record(start, failure != null ? probe.error()
                : result != null && result.healthy() ? probe.ok() : probe.empty()));
        return stage;
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
