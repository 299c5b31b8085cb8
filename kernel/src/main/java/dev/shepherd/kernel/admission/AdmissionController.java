package dev.shepherd.kernel.admission;

import dev.shepherd.kernel.manifest.AdmissionSection;
import dev.shepherd.kernel.manifest.AdmissionSection.PriorityClass;
import dev.shepherd.spi.GatewayException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.xnio.XnioIoThread;

/**
 * Step 3 of the request path: rate limits (429), concurrency with a bounded priority queue (503 on
 * overflow or queue timeout), SMG's priority classes with reserved capacity, starvation promotion
 * and preemption. With no limits configured every request is admitted without touching a lock.
 */
public final class AdmissionController {

    /** Told the outcome of an admission: exactly one of the two, on the request's I/O thread. */
    public interface Outcome {
        void admitted(AdmissionTicket ticket);

        void rejected(GatewayException error);
    }

    private final AdmissionSection config;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final TokenBucket globalBucket;
    private final ClusterRateLimit clusterLimit;
    private final ClusterTenantRateLimits clusterTenantLimits;
    private final Map<String, TokenBucket> tenantBuckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tenantInFlight = new ConcurrentHashMap<>();
    private final int limit;
    private final Map<PriorityClass, Integer> ceilings = new EnumMap<>(PriorityClass.class);
    private final Map<PriorityClass, ArrayDeque<Waiter>> queues = new EnumMap<>(PriorityClass.class);
    private final Set<AdmissionTicket> running = new HashSet<>();
    private final AdmissionStats stats = new AdmissionStats();
    private int inFlight;
    private int queued;

    public AdmissionController(AdmissionSection config, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
        this(config, scheduler, nanoClock, null);
    }

    /** @param clusterLimit a request rate shared with the other mesh nodes; null for none */
    public AdmissionController(AdmissionSection config, ScheduledExecutorService scheduler, LongSupplier nanoClock,
                               ClusterRateLimit clusterLimit) {
        this(config, scheduler, nanoClock, clusterLimit, null);
    }

    /**
     * @param clusterLimit a request rate shared with the other mesh nodes; null for none
     * @param clusterTenantLimits each tenant's request rate across the mesh nodes; null for none
     */
    public AdmissionController(AdmissionSection config, ScheduledExecutorService scheduler, LongSupplier nanoClock,
                               ClusterRateLimit clusterLimit, ClusterTenantRateLimits clusterTenantLimits) {
        this.clusterLimit = clusterLimit;
        this.clusterTenantLimits = clusterTenantLimits;
        this.config = config;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.limit = config.maxConcurrentRequests();
        this.globalBucket = config.rateLimitTokensPerSecond() == null ? null
                : bucket(config.rateLimitTokensPerSecond(), config.rateLimitBurst());
        double reservedAbove = 0;
        for (PriorityClass c : PriorityClass.values()) {
            // A class may use the capacity not reserved for the classes above it.
            ceilings.put(c, limit < 0 ? Integer.MAX_VALUE : Math.max(1, (int) Math.floor(limit * (1 - reservedAbove))));
            if (config.priorityScheduler().enabled()) {
                // Reservations only mean something when requests arrive in different classes.
                reservedAbove += config.priorityScheduler().reserved().getOrDefault(c.name().toLowerCase(java.util.Locale.ROOT), 0.0);
            }
            queues.put(c, new ArrayDeque<>());
        }
    }

    /** True when nothing is limited: requests skip admission entirely. */
    public boolean unlimited() {
        return limit < 0 && globalBucket == null && clusterLimit == null && clusterTenantLimits == null
                && config.tenants().isEmpty();
    }

    public AdmissionStats stats() {
        return stats;
    }

    /** Requests holding a counted slot now (0 when concurrency is not limited). */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Requests waiting in the queues now. */
    public synchronized int queueDepth() {
        return queued;
    }

    /** The tenant a request is accounted to. */
    public String tenantOf(String tenantHeader, String authenticatedTenant) {
        if (config.trustTenantHeader() && tenantHeader != null && !tenantHeader.isBlank()) {
            return tenantHeader.trim();
        }
        return authenticatedTenant;
    }

    public String tenantHeaderName() {
        return config.tenantHeaderName();
    }

    /** The class a request runs in: from {@code X-SMG-Priority} when the scheduler is on. */
    public PriorityClass classOf(String priorityHeader) {
        if (!config.priorityScheduler().enabled()) {
            return PriorityClass.DEFAULT;
        }
        PriorityClass parsed = PriorityClass.parse(priorityHeader);
        return parsed == null ? PriorityClass.DEFAULT : parsed;
    }

    /** Admits, queues or rejects; the outcome arrives on {@code ioThread}, possibly later. */
    public void admit(String tenant, PriorityClass priorityClass, XnioIoThread ioThread, Outcome outcome) {
        GatewayException limited = rateLimit(tenant);
        if (limited != null) {
            stats.rejectedRate.increment();
            outcome.rejected(limited);
            return;
        }
        AdmissionSection.TenantLimits tenantLimits = config.tenants().get(tenant);
        if (tenantLimits != null && tenantLimits.maxConcurrentRequests() != null) {
            AtomicInteger count = tenantInFlight.computeIfAbsent(tenant, t -> new AtomicInteger());
            if (count.incrementAndGet() > tenantLimits.maxConcurrentRequests()) {
                count.decrementAndGet();
                stats.rejectedTenantConcurrency.increment();
                outcome.rejected(new GatewayException(429, "rate_limit_error", "tenant_concurrency_exceeded", null,
                        "Tenant '" + tenant + "' has too many requests in flight", Duration.ofSeconds(1)));
                return;
            }
        }
        if (limit < 0) {
            stats.admitted.increment();
            outcome.admitted(new AdmissionTicket(this, tenant, priorityClass, ioThread, false));
            return;
        }
        AdmissionTicket victim = null;
        Waiter waiter;
        synchronized (this) {
            if (inFlight < ceilings.get(priorityClass) && noneWaitingAtOrAbove(priorityClass)) {
                AdmissionTicket ticket = start(tenant, priorityClass, ioThread);
                stats.admitted.increment();
                ioThread.execute(() -> outcome.admitted(ticket));
                return;
            }
            if (config.priorityScheduler().enabled() && config.priorityScheduler().preemption()) {
                victim = lowestPreemptibleBelow(priorityClass);
            }
            if (victim == null && queued >= config.queueSize()) {
                stats.rejectedQueueFull.increment();
                ioThread.execute(() -> outcome.rejected(overloaded("the admission queue is full")));
                return;
            }
            waiter = new Waiter(tenant, priorityClass, ioThread, outcome, nanoClock.getAsLong());
            queues.get(priorityClass).addLast(waiter);
            queued++;
            stats.queued.increment();
            waiter.timeout = scheduler.schedule(() -> expire(waiter), config.queueTimeoutSecs(), TimeUnit.SECONDS);
        }
        if (victim != null) {
            // Its release (when the victim's exchange ends) hands the slot to the queue's head.
            stats.preempted.increment();
            victim.preempt();
        }
    }

    private AdmissionTicket start(String tenant, PriorityClass priorityClass, XnioIoThread ioThread) {
        inFlight++;
        AdmissionTicket ticket = new AdmissionTicket(this, tenant, priorityClass, ioThread, true);
        running.add(ticket);
        return ticket;
    }

    private boolean noneWaitingAtOrAbove(PriorityClass priorityClass) {
        for (PriorityClass c : PriorityClass.values()) {
            if (!queues.get(c).isEmpty()) {
                return false;
            }
            if (c == priorityClass) {
                return true;
            }
        }
        return true;
    }

    private AdmissionTicket lowestPreemptibleBelow(PriorityClass priorityClass) {
        AdmissionTicket lowest = null;
        for (AdmissionTicket t : running) {
            if (t.priorityClass().ordinal() > priorityClass.ordinal() && t.preemptible()
                    && (lowest == null || t.priorityClass().ordinal() > lowest.priorityClass().ordinal())) {
                lowest = t;
            }
        }
        return lowest;
    }

    void release(AdmissionTicket ticket) {
        AdmissionSection.TenantLimits tenantLimits = config.tenants().get(ticket.tenant());
        if (tenantLimits != null && tenantLimits.maxConcurrentRequests() != null) {
            tenantInFlight.get(ticket.tenant()).decrementAndGet();
        }
        if (!ticket.counted()) {
            return;
        }
        List<Runnable> grants = new ArrayList<>();
        synchronized (this) {
            if (running.remove(ticket)) {
                inFlight--;
            }
            Waiter next;
            while ((next = nextWaiter()) != null) {
                queued--;
                next.timeout.cancel(false);
                AdmissionTicket granted = start(next.tenant, next.priorityClass, next.ioThread);
                Waiter w = next;
                stats.admitted.increment();
                stats.recordWait(nanoClock.getAsLong() - w.enqueuedNanos);
                grants.add(() -> w.ioThread.execute(() -> w.outcome.admitted(granted)));
            }
        }
        grants.forEach(Runnable::run);
    }

    /** The next waiter that fits: highest class first, but anyone waiting too long counts as top class. */
    private Waiter nextWaiter() {
        long now = nanoClock.getAsLong();
        long promotion = TimeUnit.MILLISECONDS.toNanos(config.priorityScheduler().promotionAfterMs());
        Waiter best = null;
        for (PriorityClass c : PriorityClass.values()) {
            Waiter head = queues.get(c).peekFirst();
            if (head == null) {
                continue;
            }
            boolean headStarved = now - head.enqueuedNanos > promotion;
            boolean bestStarved = best != null && now - best.enqueuedNanos > promotion;
            if (best == null || headStarved && (!bestStarved || head.enqueuedNanos < best.enqueuedNanos)) {
                best = head;
            }
        }
        if (best == null) {
            return null;
        }
        boolean promoted = now - best.enqueuedNanos > promotion;
        int ceiling = promoted ? ceilings.get(PriorityClass.SYSTEM) : ceilings.get(best.priorityClass);
        if (inFlight >= ceiling) {
            return null;
        }
        queues.get(best.priorityClass).pollFirst();
        return best;
    }

    private void expire(Waiter waiter) {
        synchronized (this) {
            if (!queues.get(waiter.priorityClass).remove(waiter)) {
                return;
            }
            queued--;
        }
        stats.rejectedQueueTimeout.increment();
        waiter.ioThread.execute(() -> waiter.outcome.rejected(
                overloaded("waited " + config.queueTimeoutSecs() + "s in the admission queue")));
    }

    private GatewayException rateLimit(String tenant) {
        if (globalBucket != null) {
            long wait = globalBucket.tryTake();
            if (wait > 0) {
                return rateLimited("The gateway's request rate limit is reached", wait);
            }
        }
        if (clusterLimit != null) {
            long wait = clusterLimit.tryAcquire();
            if (wait > 0) {
                return rateLimited("The cluster's request rate limit is reached", wait);
            }
        }
        if (clusterTenantLimits != null && tenant != null) {
            long wait = clusterTenantLimits.tryAcquire(tenant);
            if (wait > 0) {
                return rateLimited("Tenant '" + tenant + "' exceeded its cluster-wide request rate limit", wait);
            }
        }
        AdmissionSection.TenantLimits tenantLimits = config.tenants().get(tenant);
        if (tenantLimits != null && tenantLimits.rateLimitTokensPerSecond() != null) {
            long wait = tenantBuckets.computeIfAbsent(tenant,
                    t -> bucket(tenantLimits.rateLimitTokensPerSecond(), tenantLimits.burst())).tryTake();
            if (wait > 0) {
                return rateLimited("Tenant '" + tenant + "' exceeded its request rate limit", wait);
            }
        }
        return null;
    }

    private TokenBucket bucket(double rate, Double burst) {
        return new TokenBucket(rate, burst == null ? Math.max(1, Math.ceil(rate)) : burst, nanoClock);
    }

    private static GatewayException rateLimited(String message, long waitNanos) {
        return new GatewayException(429, "rate_limit_error", "rate_limit_exceeded", null, message,
                Duration.ofNanos(waitNanos));
    }

    private static GatewayException overloaded(String why) {
        return new GatewayException(503, "service_unavailable", "overloaded", null,
                "The gateway is at capacity: " + why, Duration.ofSeconds(1));
    }

    /** A queued request. */
    private static final class Waiter {
        final String tenant;
        final PriorityClass priorityClass;
        final XnioIoThread ioThread;
        final Outcome outcome;
        final long enqueuedNanos;
        ScheduledFuture<?> timeout;

        Waiter(String tenant, PriorityClass priorityClass, XnioIoThread ioThread, Outcome outcome, long enqueuedNanos) {
            this.tenant = tenant;
            this.priorityClass = priorityClass;
            this.ioThread = ioThread;
            this.outcome = outcome;
            this.enqueuedNanos = enqueuedNanos;
        }
    }
}
