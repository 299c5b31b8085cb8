package dev.shepherd.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's KV prefix cache, as vLLM's automatic prefix caching and SGLang's radix cache behave to
 * a client: prompts are cut into fixed-size token blocks, each block is keyed by a hash chained over
 * its parent's key (so a block only matches after the same whole prefix), and the least recently used
 * blocks are evicted once the capacity in tokens is reached. Only full blocks are cached.
 *
 * <p>Like vLLM, a match never covers the whole prompt: at least one prompt token is always computed,
 * so a prompt that is an exact multiple of the block size reports one block less than its length.
 *
 * <p>Thread-safe; each call holds one lock for a few hash-map operations per block.
 */
final class PrefixCache {

  private static final long ROOT_HASH = 0x2545_F491_4F6C_DD1DL;

  private final int blockSize;
  private final long capacityBlocks;
  private final LinkedHashMap<Long, Boolean> blocks;
  private long lookedUpTokens;
  private long hitTokens;

  PrefixCache(int blockSize, long capacityTokens) {
    this.blockSize = blockSize;
    this.capacityBlocks = Math.max(1, capacityTokens / blockSize);
    this.blocks = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
        return size() > capacityBlocks;
      }
    };
  }

  /**
   * Counts the prompt's cached prefix and caches all of its full blocks.
   *
   * @return the number of prompt tokens found in the cache (a multiple of the block size)
   */
  synchronized int matchAndInsert(int[] promptTokens) {
    int matchableBlocks = Math.max(0, promptTokens.length - 1) / blockSize;
    int fullBlocks = promptTokens.length / blockSize;
    long hash = ROOT_HASH;
    int hits = 0;
    boolean matching = true;
    for (int block = 0; block < fullBlocks; block++) {
      hash = blockHash(hash, promptTokens, block * blockSize);
      if (matching && block < matchableBlocks && blocks.get(hash) != null) {
        hits++;
      } else {
        matching = false;
        blocks.put(hash, Boolean.TRUE);
      }
    }
    int cached = hits * blockSize;
    lookedUpTokens += promptTokens.length;
    hitTokens += cached;
    return cached;
  }

  /** Caches the full blocks of a finished sequence (prompt followed by its output). */
  synchronized void insert(int[] tokens, int length) {
    long hash = ROOT_HASH;
    for (int block = 0; block < length / blockSize; block++) {
      hash = blockHash(hash, tokens, block * blockSize);
      blocks.put(hash, Boolean.TRUE);
    }
  }

  /** Empties the cache ({@code POST /flush_cache}). */
  synchronized void clear() {
    blocks.clear();
  }

  synchronized long cachedTokens() {
    return (long) blocks.size() * blockSize;
  }

  /** Prompt tokens looked up so far (vllm:prefix_cache_queries_total). */
  synchronized long lookedUpTokens() {
    return lookedUpTokens;
  }

  /** Prompt tokens found cached so far (vllm:prefix_cache_hits_total). */
  synchronized long hitTokens() {
    return hitTokens;
  }

  private long blockHash(long parentHash, int[] tokens, int start) {
    long hash = parentHash;
    for (int i = start; i < start + blockSize; i++) {
      hash = DeterministicModel.mix(hash ^ (tokens[i] * 0xC2B2_AE3D_27D4_EB4FL));
    }
    return hash;
  }
}
