package dev.shepherd.kernel.observe.metrics;

import dev.shepherd.kernel.admission.AdmissionController;
import dev.shepherd.kernel.admission.AdmissionStats;
import dev.shepherd.kernel.manifest.AdmissionSection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Admission's state and decisions as SMG's {@code smg_scheduler_*} meters, read from the controller
 * and its counters at scrape time: nothing is added to admission's own path. Admits and queue waits
 * per priority class come from the request observer.
 */
final class AdmissionMetrics {

    private AdmissionMetrics() {
    }

    static void bind(MeterRegistry registry, AdmissionController admission, AdmissionSection config) {
        Gauge.builder("smg.scheduler.inflight", admission, AdmissionController::inFlight).strongReference(true)
                .description("Requests holding an admission slot now (counted when max_concurrent_requests is set)")
                .register(registry);
        Gauge.builder("smg.scheduler.queue.depth", admission, AdmissionController::queueDepth).strongReference(true)
                .description("Requests waiting for an admission slot now").register(registry);
        Gauge.builder("smg.scheduler.queue.size.limit", config, AdmissionSection::queueSize).strongReference(true)
                .description("Configured queue_size").register(registry);
        Gauge.builder("smg.scheduler.capacity", config, AdmissionSection::maxConcurrentRequests).strongReference(true)
                .description("Configured max_concurrent_requests (-1: no limit)").register(registry);
        int limit = config.maxConcurrentRequests();
        Gauge.builder("smg.scheduler.utilization", admission, a -> limit > 0 ? (double) a.inFlight() / limit : 0)
                .strongReference(true).description("In-flight requests over capacity, 0..1 (0 without a limit)")
                .register(registry);
        AdmissionStats stats = admission.stats();
        rejected(registry, stats, "rate_limit", AdmissionStats::rejectedRate);
        rejected(registry, stats, "tenant_concurrency", AdmissionStats::rejectedTenantConcurrency);
        rejected(registry, stats, "queue_full", AdmissionStats::rejectedQueueFull);
        rejected(registry, stats, "queue_timeout", AdmissionStats::rejectedQueueTimeout);
        FunctionCounter.builder("smg.scheduler.preemption", stats, AdmissionStats::preempted)
                .description("In-flight requests preempted by a higher priority class").register(registry);
        FunctionCounter.builder("smg.scheduler.queued", stats, AdmissionStats::queued)
                .description("Requests that had to wait in the admission queue").register(registry);
    }

    private static void rejected(MeterRegistry registry, AdmissionStats stats, String reason, ToDoubleFunction<AdmissionStats> f) {
        FunctionCounter.builder("smg.scheduler.rejected", stats, f).description("Requests admission refused, by reason")
                .tag("reason", reason).register(registry);
    }
}
