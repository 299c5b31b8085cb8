package dev.shepherd.kernel.observe.metrics;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Optional;

/** A policy whose {@link #select} is counted and timed; the other methods pass straight through. */
final class MeasuredPolicy implements Policy {

    private final Policy delegate;
    private final PluginCallMetrics.CallMeter select;

    MeasuredPolicy(Policy delegate, PluginCallMetrics.CallMeter select) {
        this.delegate = delegate;
        this.select = select;
    }

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        long start = System.nanoTime();
        Optional<Worker> chosen;
        try {
            chosen = delegate.select(candidates, request);
        } catch (RuntimeException | Error e) {
            select.record(start, select.error());
            throw e;
        }
        select.record(start, chosen.isPresent() ? select.ok() : select.empty());
        return chosen;
    }

    @Override
    public void onComplete(Worker worker, GatewayRequest request, boolean success) {
        delegate.onComplete(worker, request, success);
    }

    @Override
    public boolean readsLoadReports() {
        return delegate.readsLoadReports();
    }

    @Override
    public void onWorkerRemoved(Worker worker) {
        delegate.onWorkerRemoved(worker);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
