package dev.shepherd.plugin.policy.basic;

/**
 * The 64-bit hashes the ring policies place workers and keys with. Hand-rolled rather than a library
 * so the plugin bundles nothing: FNV-1a over UTF-16 code units, finished with MurmurHash3's 64-bit
 * mixer so that short or similar keys still spread over the whole ring.
 */
final class RingHash {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private RingHash() {
    }

    /** The hash of the whole of {@code text}. */
    static long of(CharSequence text) {
        return of(text, 0, text.length());
    }

    /** The hash of {@code text[from, to)}; hashes the characters in place, without a substring copy. */
    static long of(CharSequence text, int from, int to) {
        long h = FNV_OFFSET_BASIS;
        for (int i = from; i < to; i++) {
            h ^= text.charAt(i);
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /**
     * The ring point of a worker's {@code replica}-th virtual node. A SplitMix64 sequence seeded by the
     * worker's hash: independent of every other worker, so adding one worker only adds its own points.
     */
    static long virtualNode(long workerHash, int replica) {
        return mix(workerHash + (replica + 1L) * GOLDEN_GAMMA);
    }

    /** MurmurHash3's fmix64 finaliser: every input bit affects every output bit. */
    static long mix(long z) {
        z ^= z >>> 33;
        z *= 0xff51afd7ed558ccdL;
        z ^= z >>> 33;
        z *= 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return z;
    }
}
