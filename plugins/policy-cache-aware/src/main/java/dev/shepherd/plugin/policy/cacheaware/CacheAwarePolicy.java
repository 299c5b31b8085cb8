package dev.shepherd.plugin.policy.cacheaware;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.spi.worker.WorkerLoad;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMG's {@code cache_aware} policy on an approximate prefix tree, with Shepherd's load bounds.
 *
 * <p>Per request, in one pass over the candidates: each worker's <em>work</em> (in-flight requests, plus
 * its queued prompt tokens / {@code queued_tokens_per_request}), the least and most, and the reported KV
 * usage. Then:
 * <ol>
 * <li><b>Imbalance</b> (SMG): when the busiest and quietest worker differ by more than
 *     {@code balance_abs_threshold} and the busiest has more than {@code balance_rel_threshold} times the
 *     quietest's work, or a KV trigger fires ({@code overload_token_usage_threshold},
 *     {@code balance_token_usage_threshold}), the least loaded worker takes the request.</li>
 * <li><b>Cache hit</b>: the routing text (the whole multi-turn prompt) is matched against the tree.
 *     Walking from the deepest matched node towards the root while the matched share is at least
 *     {@code cache_threshold}, the first node held by a candidate whose work is within the affinity
 *     bound ({@code affinity_load_factor × mean work + affinity_load_slack}) wins; among several such
 *     workers on that node, the least loaded (ties at random). SMG takes the deepest node's first worker whatever its
 *     load.</li>
 * <li><b>Miss</b>: the least loaded worker (ties at random), or under {@code smallest_tree} the one with
 *     the smallest tree among those within one request of the least; workers at or above
 *     {@code kv_high_watermark} KV usage are skipped while a cooler one exists.</li>
 * </ol>
 * The text is then recorded in the tree for the chosen worker (also after a balance decision, as SMG).
 *
 * <p>Thread-safe; {@link #select} takes no global lock ({@link PrefixTree}). Eviction runs every
 * {@code eviction_interval_secs} on the kernel's scheduler, handed to the blocking executor, and early
 * when a worker's tree exceeds {@code max_tree_size} by a quarter. Closing cancels it.
 */
public final class CacheAwarePolicy implements Policy, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheAwarePolicy.class);

    /** The {@code decision} label values of {@code smg_cache_aware_decisions_total}. */
    enum Decision { CACHE_HIT, BALANCE, MISS }

    /** A worker's tree may grow this far past {@code max_tree_size} before eviction runs early. */
    static final double EARLY_EVICTION_FACTOR = 1.25;

    private final double cacheThreshold;
    private final double balanceAbsThreshold;
    private final double balanceRelThreshold;
    private final long maxTreeSize;
    private final long earlyEvictionChars;
    private final double balanceTokenUsageThreshold;
    private final double overloadTokenUsageThreshold;
    private final double affinityLoadFactor;
    private final double affinityLoadSlack;
    private final int queuedTokensPerRequest;
    private final double kvHighWatermark;
    private final MissPlacement missPlacement;
    private final int loadScanLimit;

    private final PrefixTree tree = new PrefixTree();
    private final TenantTable tenants = new TenantTable();
    private final CandidateTenants candidateTenants = new CandidateTenants(tenants);
    private final Executor background;
    private final ScheduledFuture<?> evictionTask;
    private final AtomicBoolean evictionPending = new AtomicBoolean();
    private volatile boolean closed;

    private final MeterRegistry meterRegistry;
    private final Counter[] decisions;
    private final Counter evictedChars;
    private final AtomicReference<Gauge> treeCharsGauge = new AtomicReference<>();

    /**
     * @param scheduler runs the periodic eviction trigger
     * @param background runs eviction and the purge of a removed worker (off the request path)
     */
    public CacheAwarePolicy(CacheAwarePolicyConfig config, ScheduledExecutorService scheduler, Executor background,
                            MeterRegistry meterRegistry) {
        this.cacheThreshold = config.cacheThreshold();
        this.balanceAbsThreshold = config.balanceAbsThreshold();
        this.balanceRelThreshold = config.balanceRelThreshold();
        this.maxTreeSize = config.maxTreeSize();
        this.earlyEvictionChars = (long) Math.min(Long.MAX_VALUE / 2, maxTreeSize * EARLY_EVICTION_FACTOR);
        this.balanceTokenUsageThreshold = config.balanceTokenUsageThreshold();
        this.overloadTokenUsageThreshold = config.overloadTokenUsageThreshold();
        this.affinityLoadFactor = config.affinityLoadFactor();
        this.affinityLoadSlack = config.affinityLoadSlack();
        this.queuedTokensPerRequest = config.queuedTokensPerRequest();
        this.kvHighWatermark = config.kvHighWatermark();
        this.missPlacement = config.missPlacement();
        this.loadScanLimit = config.loadScanLimit();
        this.background = background;
        this.meterRegistry = meterRegistry;
        this.decisions = new Counter[Decision.values().length];
        for (Decision decision : Decision.values()) {
            decisions[decision.ordinal()] = Counter.builder("smg_cache_aware_decisions_total")
                    .description("Routing decisions of the cache_aware policy")
                    .tag("decision", decision.name().toLowerCase(Locale.ROOT))
                    .register(meterRegistry);
        }
        this.evictedChars = Counter.builder("smg_cache_aware_evicted_chars_total")
                .description("Characters evicted from cache_aware prefix trees")
                .register(meterRegistry);
        long interval = config.evictionIntervalSecs();
        this.evictionTask = scheduler.scheduleWithFixedDelay(this::requestEviction, interval, interval, TimeUnit.SECONDS);
    }

    /** The workers' KV-cache usage weighs in every decision. */
    @Override
    public boolean readsLoadReports() {
        return true;
    }

    @Override
    public Optional<Worker> select(List<Worker> candidates, GatewayRequest request) {
        registerTreeGauge(request);
        int n = candidates.size();
        CandidateTenants.Mapping mapping = candidateTenants.of(candidates);
        String text = request.parsed().routingText();
        if (text == null) {
            text = "";
        }

        // One pass: least/most work, the mean, KV usage. The scan starts at a random position and only
        // strictly less work replaces the least so far, so ties go to a random one of the tied workers.
        // A large fleet is sampled: `scanned` workers `stride` apart, so a decision never reads them all.
        int start = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
        int scanned = loadScanLimit > 0 && n > loadScanLimit ? loadScanLimit : n;
        int stride = n / scanned;
        int leastPosition = start;
        double least = Double.POSITIVE_INFINITY;
        double most = Double.NEGATIVE_INFINITY;
        double total = 0;
        double kvMin = Double.POSITIVE_INFINITY;
        double kvMax = Double.NEGATIVE_INFINITY;
        int kvReported = 0;
        int kvHot = 0;
        for (int k = 0, position = start; k < scanned; k++, position = wrap(position + stride, n)) {
            WorkerLoad load = candidates.get(position).load();
            double work = work(load);
            total += work;
            if (work < least) {
                least = work;
                leastPosition = position;
            }
            if (work > most) {
                most = work;
            }
            double kv = load.kvCacheUsage();
            if (kv >= 0) {
                kvReported++;
                kvMin = Math.min(kvMin, kv);
                kvMax = Math.max(kvMax, kv);
                if (kv >= kvHighWatermark) {
                    kvHot++;
                }
            }
        }

        int chosen;
        Decision decision;
        PrefixMatch match = null;
        if (imbalanced(least, most, kvReported, kvMin, kvMax)) {
            chosen = leastPosition;
            decision = Decision.BALANCE;
        } else {
            double bound = affinityLoadFactor > 0 ? affinityLoadFactor * (total / scanned) + affinityLoadSlack
                    : Double.POSITIVE_INFINITY;
            int hit = -1;
            boolean overBound = false;
            if (!text.isEmpty()) {
                match = tree.match(text);
                for (int level = match.depth() - 1; level >= 0 && hit < 0; level--) {
                    if (match.ratioAt(level) < cacheThreshold) {
                        break;
                    }
                    long[] slots = match.slotsAt(level);
                    double bestWork = Double.POSITIVE_INFINITY;
                    int ties = 0;
                    for (long slot : slots) {
                        int position = mapping.positionOf(PrefixTree.tenantOf(slot));
                        if (position < 0) {
                            continue;
                        }
                        double work = work(candidates.get(position).load());
                        if (work > bound) {
                            overBound = true;
                        } else if (work < bestWork) {
                            bestWork = work;
                            hit = position;
                            ties = 1;
                        } else if (work == bestWork && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                            hit = position; // equally loaded holders share the hits (reservoir sampling)
                        }
                    }
                }
            }
            if (hit >= 0) {
                chosen = hit;
                decision = Decision.CACHE_HIT;
            } else {
                boolean someHot = kvHot > 0 && kvHot < scanned;
                chosen = someHot || missPlacement == MissPlacement.SMALLEST_TREE
                        ? placeMiss(candidates, mapping, least, someHot, start, scanned, stride)
                        : leastPosition;
                decision = overBound ? Decision.BALANCE : Decision.MISS;
            }
        }
        decisions[decision.ordinal()].increment();

        Tenant tenant = mapping.tenantAt(chosen);
        if (tenant != null && !text.isEmpty()) {
            if (match != null) {
                tree.insert(text, tenant, match); // reuses the matched path: no label is compared twice
            } else {
                tree.insert(text, tenant);
            }
            if (tenant.chars() > earlyEvictionChars) {
                requestEviction();
            }
        }
        return Optional.of(candidates.get(chosen));
    }

    @Override
    public void onWorkerRemoved(Worker worker) {
        candidateTenants.forget(worker.id());
        Tenant tenant = tenants.remove(worker.id());
        if (tenant == null) {
            return;
        }
        runInBackground(() -> {
            tree.removeAll(tenant);
            if (tenant.chars() == 0) {
                tenants.forget(tenant);
            } // else an insert raced with the purge: the next eviction takes the rest (bound 0 for removed tenants)
        });
    }

    /** Trims every worker's tree to {@code max_tree_size} and drops removed workers' slots; returns characters evicted. */
    long evictNow() {
        long removed = tree.evict(maxTreeSize, tenants.all());
        for (Tenant tenant : tenants.all()) {
            if (tenant.isRemoved() && tenant.chars() == 0) {
                tenants.forget(tenant);
            }
        }
        if (removed > 0) {
            evictedChars.increment(removed);
            LOG.debug("cache_aware evicted {} characters; {} remain in {} nodes", removed, tenants.totalChars(),
                    tree.nodeCount());
        }
        return removed;
    }

    /** Characters the tree holds, summed over workers (a prefix shared by k workers counts k times). */
    long treeChars() {
        return tenants.totalChars();
    }

    /** Characters the tree holds for {@code workerId}; 0 when it holds none. */
    long treeChars(String workerId) {
        Tenant tenant = tenants.find(workerId);
        return tenant == null ? 0 : tenant.chars();
    }

    PrefixTree tree() {
        return tree;
    }

    TenantTable tenants() {
        return tenants;
    }

    @Override
    public void close() {
        closed = true;
        evictionTask.cancel(false);
        Gauge gauge = treeCharsGauge.get();
        if (gauge != null) {
            meterRegistry.remove(gauge);
        }
    }

    /** A worker's work in requests: in flight, plus its queued prompt tokens as request equivalents. */
    private double work(WorkerLoad load) {
        double work = load.inFlight();
        if (queuedTokensPerRequest > 0) {
            work += (double) load.queuedPromptTokens() / queuedTokensPerRequest;
        }
        return work;
    }

    private boolean imbalanced(double least, double most, int kvReported, double kvMin, double kvMax) {
        if (most - least > balanceAbsThreshold && most > least * balanceRelThreshold) {
            return true;
        }
        if (kvReported > 0 && overloadTokenUsageThreshold < 1.0 && kvMax > overloadTokenUsageThreshold) {
            return true;
        }
        return kvReported > 1 && balanceTokenUsageThreshold < 1.0 && kvMax - kvMin > balanceTokenUsageThreshold;
    }

    /** A miss's worker when KV pressure or {@code smallest_tree} needs a second pass over the candidates. */
    /** Places a cache miss among the same workers the load pass read ({@code scanned}, {@code stride} apart). */
    private int placeMiss(List<Worker> candidates, CandidateTenants.Mapping mapping, double fleetLeast, boolean skipHot,
                          int start, int scanned, int stride) {
        int n = candidates.size();
        double least = fleetLeast;
        if (skipHot) {
            least = Double.POSITIVE_INFINITY;
            for (int k = 0, position = start; k < scanned; k++, position = wrap(position + stride, n)) {
                Worker worker = candidates.get(position);
                if (!isHot(worker)) {
                    least = Math.min(least, work(worker.load()));
                }
            }
        }
        double limit = missPlacement == MissPlacement.SMALLEST_TREE ? least + 1 : least;
        int best = -1;
        long bestChars = Long.MAX_VALUE;
        for (int k = 0, position = start; k < scanned; k++, position = wrap(position + stride, n)) {
            Worker worker = candidates.get(position);
            if (skipHot && isHot(worker) || work(worker.load()) > limit) {
                continue;
            }
            Tenant tenant = mapping.tenantAt(position);
            long chars = missPlacement == MissPlacement.SMALLEST_TREE && tenant != null ? tenant.chars() : 0;
            if (best < 0 || chars < bestChars) {
                best = position;
                bestChars = chars;
            }
        }
        return best >= 0 ? best : start; // loads moved between the passes: any worker will do
    }

    private static int wrap(int position, int n) {
        return position < n ? position : position - n;
    }

    private boolean isHot(Worker worker) {
        return worker.load().kvCacheUsage() >= kvHighWatermark;
    }

    private void requestEviction() {
        if (closed || !evictionPending.compareAndSet(false, true)) {
            return;
        }
        runInBackground(() -> {
            try {
                evictNow();
            } finally {
                evictionPending.set(false);
            }
        });
    }

    private void runInBackground(Runnable task) {
        try {
            background.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("cache_aware tree maintenance failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            evictionPending.set(false);
            LOG.debug("cache_aware tree maintenance not run: executor shut down");
        }
    }

    /**
     * Registers {@code smg_cache_aware_tree_chars{model}} on the first request: the policy learns its
     * model then. Racing first requests register the same meter (same name and tags), so either wins.
     */
    private void registerTreeGauge(GatewayRequest request) {
        if (treeCharsGauge.get() != null || closed) {
            return;
        }
        String model = request.model();
        treeCharsGauge.compareAndSet(null, Gauge.builder("smg_cache_aware_tree_chars", this, CacheAwarePolicy::treeChars)
                .description("Characters held by the cache_aware prefix tree, summed over workers")
                .tag("model", model == null || model.isEmpty() ? "unknown" : model)
                .baseUnit("characters")
                .register(meterRegistry));
    }
}
