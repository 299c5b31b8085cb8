package dev.shepherd.plugin.policy.cacheaware;

/**
 * The {@code cache_aware} section ({@code routing.policies.cache_aware}). Missing keys take SMG's CLI
 * defaults; the last five keys are Shepherd's own and each can be set to reproduce SMG exactly
 * ({@link #smgBaseline()}).
 *
 * @param cacheThreshold {@code cache_threshold}: the share of the prompt (characters) that must match a
 *     worker's tree for the request to follow that worker (SMG {@code --cache-threshold}, 0.3), in [0, 1]
 * @param balanceAbsThreshold {@code balance_abs_threshold}: the fleet is imbalanced when the busiest and
 *     quietest worker differ by more than this much work ... (SMG {@code --balance-abs-threshold}, 64)
 * @param balanceRelThreshold {@code balance_rel_threshold}: ... and the busiest has more than this times
 *     the quietest's (SMG {@code --balance-rel-threshold}, 1.5), at least 1
 * @param evictionIntervalSecs {@code eviction_interval_secs}: seconds between LRU evictions (SMG
 *     {@code --eviction-interval}, 120), at least 1
 * @param maxTreeSize {@code max_tree_size}: characters each worker may hold in the tree; eviction trims
 *     each worker's least recently used prefixes down to it (SMG {@code --max-tree-size}, 67108864)
 * @param balanceTokenUsageThreshold {@code balance_token_usage_threshold}: imbalanced when the reported
 *     KV usage of the hottest and coldest worker differ by more than this (SMG
 *     {@code --balance-token-usage-threshold}, 1.0 = off)
 * @param overloadTokenUsageThreshold {@code overload_token_usage_threshold}: imbalanced when some
 *     worker's reported KV usage exceeds this (SMG {@code --overload-token-usage-threshold}, 1.0 = off)
 * @param affinityLoadFactor {@code affinity_load_factor}: a cache hit is honoured only while the worker's
 *     work is at most {@code factor × mean work + affinity_load_slack}; otherwise the next-best match
 *     under the bound is tried (1.25; 0 = unbounded, as SMG)
 * @param affinityLoadSlack {@code affinity_load_slack}: the additive part of that bound, in requests
 *     (2.0), at least 0
 * @param queuedTokensPerRequest {@code queued_tokens_per_request}: a worker's queued prompt tokens (not
 *     yet past their first token) count as one extra request per this many tokens in every load
 *     comparison (1024; 0 = count in-flight requests only, as SMG)
 * @param kvHighWatermark {@code kv_high_watermark}: a worker whose reported KV usage is at or above this
 *     takes no cache misses while a cooler worker is available (0.9; 1.0 or more = off, as SMG)
 * @param missPlacement {@code miss_placement}: {@code min_load} (SMG's code) or {@code smallest_tree}
 *     (SMG's documentation); see {@link MissPlacement}
 * @param loadScanLimit {@code load_scan_limit}: in a fleet larger than this, each decision reads the
 *     load of this many workers, evenly spaced from a random start, instead of every worker (SMG reads
 *     all, which costs about 0.2 µs per worker and request); the least loaded of a random sample is
 *     nearly as good as the least loaded of all (power of d choices). 64; 0 = read all, as SMG
 */
public record CacheAwarePolicyConfig(Double cacheThreshold, Integer balanceAbsThreshold, Double balanceRelThreshold,
                                     Integer evictionIntervalSecs, Long maxTreeSize,
                                     Double balanceTokenUsageThreshold, Double overloadTokenUsageThreshold,
                                     Double affinityLoadFactor, Double affinityLoadSlack,
                                     Integer queuedTokensPerRequest, Double kvHighWatermark,
                                     MissPlacement missPlacement, Integer loadScanLimit) {

    public static final double DEFAULT_CACHE_THRESHOLD = 0.3;
    public static final int DEFAULT_BALANCE_ABS_THRESHOLD = 64;
    public static final double DEFAULT_BALANCE_REL_THRESHOLD = 1.5;
    public static final int DEFAULT_EVICTION_INTERVAL_SECS = 120;
    public static final long DEFAULT_MAX_TREE_SIZE = 67_108_864L;
    public static final double DEFAULT_BALANCE_TOKEN_USAGE_THRESHOLD = 1.0;
    public static final double DEFAULT_OVERLOAD_TOKEN_USAGE_THRESHOLD = 1.0;
    public static final double DEFAULT_AFFINITY_LOAD_FACTOR = 1.25;
    public static final double DEFAULT_AFFINITY_LOAD_SLACK = 2.0;
    public static final int DEFAULT_QUEUED_TOKENS_PER_REQUEST = 1024;
    public static final double DEFAULT_KV_HIGH_WATERMARK = 0.9;
    public static final MissPlacement DEFAULT_MISS_PLACEMENT = MissPlacement.MIN_LOAD;
    public static final int DEFAULT_LOAD_SCAN_LIMIT = 64;

    public CacheAwarePolicyConfig {
        cacheThreshold = cacheThreshold == null ? DEFAULT_CACHE_THRESHOLD : cacheThreshold;
        balanceAbsThreshold = balanceAbsThreshold == null ? DEFAULT_BALANCE_ABS_THRESHOLD : balanceAbsThreshold;
        balanceRelThreshold = balanceRelThreshold == null ? DEFAULT_BALANCE_REL_THRESHOLD : balanceRelThreshold;
        evictionIntervalSecs = evictionIntervalSecs == null ? DEFAULT_EVICTION_INTERVAL_SECS : evictionIntervalSecs;
        maxTreeSize = maxTreeSize == null ? DEFAULT_MAX_TREE_SIZE : maxTreeSize;
        balanceTokenUsageThreshold = balanceTokenUsageThreshold == null
                ? DEFAULT_BALANCE_TOKEN_USAGE_THRESHOLD : balanceTokenUsageThreshold;
        overloadTokenUsageThreshold = overloadTokenUsageThreshold == null
                ? DEFAULT_OVERLOAD_TOKEN_USAGE_THRESHOLD : overloadTokenUsageThreshold;
        affinityLoadFactor = affinityLoadFactor == null ? DEFAULT_AFFINITY_LOAD_FACTOR : affinityLoadFactor;
        affinityLoadSlack = affinityLoadSlack == null ? DEFAULT_AFFINITY_LOAD_SLACK : affinityLoadSlack;
        queuedTokensPerRequest = queuedTokensPerRequest == null ? DEFAULT_QUEUED_TOKENS_PER_REQUEST : queuedTokensPerRequest;
        kvHighWatermark = kvHighWatermark == null ? DEFAULT_KV_HIGH_WATERMARK : kvHighWatermark;
        missPlacement = missPlacement == null ? DEFAULT_MISS_PLACEMENT : missPlacement;
        loadScanLimit = loadScanLimit == null ? DEFAULT_LOAD_SCAN_LIMIT : loadScanLimit;
        if (loadScanLimit < 0) {
            throw new IllegalArgumentException("load_scan_limit must be >= 0, not " + loadScanLimit);
        }

        requireBetween("cache_threshold", cacheThreshold, 0.0, 1.0);
        if (balanceAbsThreshold < 0) {
            throw new IllegalArgumentException("balance_abs_threshold must be >= 0, not " + balanceAbsThreshold);
        }
        requireAtLeast("balance_rel_threshold", balanceRelThreshold, 1.0);
        if (evictionIntervalSecs < 1) {
            throw new IllegalArgumentException("eviction_interval_secs must be >= 1, not " + evictionIntervalSecs);
        }
        if (maxTreeSize < 1) {
            throw new IllegalArgumentException("max_tree_size must be >= 1, not " + maxTreeSize);
        }
        requireAtLeast("balance_token_usage_threshold", balanceTokenUsageThreshold, 0.0);
        requireAtLeast("overload_token_usage_threshold", overloadTokenUsageThreshold, 0.0);
        requireAtLeast("affinity_load_factor", affinityLoadFactor, 0.0);
        if (affinityLoadFactor > 0 && affinityLoadFactor < 1.0) {
            // Below 1 a perfectly balanced fleet would refuse every cache hit.
            throw new IllegalArgumentException("affinity_load_factor must be 0 (unbounded) or >= 1.0, not "
                    + affinityLoadFactor);
        }
        requireAtLeast("affinity_load_slack", affinityLoadSlack, 0.0);
        if (queuedTokensPerRequest < 0) {
            throw new IllegalArgumentException("queued_tokens_per_request must be >= 0, not " + queuedTokensPerRequest);
        }
        requireAtLeast("kv_high_watermark", kvHighWatermark, 0.0);
    }

    /** The section without {@code load_scan_limit} (its default). */
    public CacheAwarePolicyConfig(Double cacheThreshold, Integer balanceAbsThreshold, Double balanceRelThreshold,
                                  Integer evictionIntervalSecs, Long maxTreeSize,
                                  Double balanceTokenUsageThreshold, Double overloadTokenUsageThreshold,
                                  Double affinityLoadFactor, Double affinityLoadSlack,
                                  Integer queuedTokensPerRequest, Double kvHighWatermark, MissPlacement missPlacement) {
        this(cacheThreshold, balanceAbsThreshold, balanceRelThreshold, evictionIntervalSecs, maxTreeSize,
                balanceTokenUsageThreshold, overloadTokenUsageThreshold, affinityLoadFactor, affinityLoadSlack,
                queuedTokensPerRequest, kvHighWatermark, missPlacement, null);
    }

    /** SMG's CLI defaults plus Shepherd's defaults for its own keys. */
    public static CacheAwarePolicyConfig defaults() {
        return new CacheAwarePolicyConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** SMG's algorithm exactly: every Shepherd key set to its "off" value. Used by tests and benchmarks. */
    public static CacheAwarePolicyConfig smgBaseline() {
        return new CacheAwarePolicyConfig(null, null, null, null, null, null, null, 0.0, 0.0, 0, 1.0,
                MissPlacement.MIN_LOAD, 0);
    }

    /** True when cache hits are bounded by load ({@code affinity_load_factor > 0}). */
    public boolean boundsAffinity() {
        return affinityLoadFactor > 0;
    }

    private static void requireBetween(String key, double value, double min, double max) {
        if (!Double.isFinite(value) || value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static void requireAtLeast(String key, double value, double min) {
        if (!Double.isFinite(value) || value < min) {
            throw new IllegalArgumentException(key + " must be a finite number >= " + min + ", not " + value);
        }
    }
}
