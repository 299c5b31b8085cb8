package dev.shepherd.sim;

import java.util.List;
import java.util.Objects;

/**
 * How a simulated engine listens, which models it serves, how fast it "computes" and which faults it
 * starts with. Build one with {@link #builder()} or start from {@link #defaults()} and use the withers.
 *
 * <p>Defaults suit tests: an ephemeral port on loopback, one model {@code sim-model}, a 1 ms decode
 * step and a prefill of 100k tokens/s, so a 16-token answer takes about 16 ms. {@link #withoutDelays()}
 * removes all simulated compute time for throughput benchmarks.
 *
 * @param host address to bind
 * @param port TCP port; 0 picks a free one (see {@link SimEngine#port()})
 * @param models served model ids; the first is the default when a request names none
 * @param prefillBaseMs fixed time to first token added to every request
 * @param prefillTokensPerSecond prefill speed for prompt tokens not found in the prefix cache; 0 makes
 *     prefill instant
 * @param decodeMs time of one decode step (one output token per running sequence); 0 makes decoding
 *     instant
 * @param maxRunning size of the running batch; further requests wait in a FIFO queue
 * @param blockSize tokens per KV block, the unit of prefix caching
 * @param kvTokens KV capacity in tokens: the prefix cache's size and the admission budget of the batch
 * @param maxModelLen context length; a prompt plus max tokens beyond it is rejected with 400
 * @param ioThreads Undertow IO threads; 0 lets Undertow choose (one per core, at least two)
 * @param recentRequests how many inference requests {@link SimStats} keeps for inspection
 * @param faults faults active from start-up
 * @param dpSize data-parallel ranks the engine claims in {@code /get_server_info} ({@code dp_size}), so a
 *     gateway with {@code --dp-aware} expands it into that many logical workers; the sim itself serves
 *     every rank alike and only records the {@code data_parallel_rank} it is sent (in the request body)
 */
public record SimEngineConfig(
    String host,
    int port,
    List<String> models,
    double prefillBaseMs,
    double prefillTokensPerSecond,
    double decodeMs,
    int maxRunning,
    int blockSize,
    long kvTokens,
    int maxModelLen,
    int ioThreads,
    int recentRequests,
    FaultSettings faults,
    int dpSize) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_MODEL = "sim-model";
  public static final double DEFAULT_PREFILL_TOKENS_PER_SECOND = 100_000.0;
  public static final double DEFAULT_DECODE_MS = 1.0;
  public static final int DEFAULT_MAX_RUNNING = 256;
  public static final int DEFAULT_BLOCK_SIZE = 16;
  public static final long DEFAULT_KV_TOKENS = 262_144;
  public static final int DEFAULT_MAX_MODEL_LEN = 32_768;
  public static final int DEFAULT_RECENT_REQUESTS = 32;

  public SimEngineConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(faults, "faults");
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("at least one model must be served");
    }
    if (models.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("model ids must not be blank: " + models);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within [0, 65535], got " + port);
    }
    requireNonNegative("prefill_base_ms", prefillBaseMs);
    requireNonNegative("prefill_tps", prefillTokensPerSecond);
    requireNonNegative("decode_ms", decodeMs);
    requirePositive("max_running", maxRunning);
    requirePositive("block_size", blockSize);
    requirePositive("kv_tokens", kvTokens);
    requirePositive("max_model_len", maxModelLen);
    requireNonNegative("io_threads", ioThreads);
    requireNonNegative("recent_requests", recentRequests);
    requirePositive("dp_size", dpSize);
  }

  /** The same config with the engine claiming {@code value} data-parallel ranks. */
  public SimEngineConfig withDpSize(int value) {
    return toBuilder().dpSize(value).build();
  }

  /** Loopback, ephemeral port, model {@code sim-model}, default timing, no faults. */
  public static SimEngineConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The model answered when a request names none. */
  public String primaryModel() {
    return models.get(0);
  }

  /** Same engine with no simulated compute time: answers as fast as the HTTP stack allows. */
  public SimEngineConfig withoutDelays() {
    return toBuilder().prefillBaseMs(0).prefillTokensPerSecond(0).decodeMs(0).build();
  }

  public SimEngineConfig withPort(int value) {
    return toBuilder().port(value).build();
  }

  public SimEngineConfig withModels(String... value) {
    return toBuilder().models(value).build();
  }

  public SimEngineConfig withDecodeMs(double value) {
    return toBuilder().decodeMs(value).build();
  }

  public SimEngineConfig withPrefillBaseMs(double value) {
    return toBuilder().prefillBaseMs(value).build();
  }

  public SimEngineConfig withPrefillTokensPerSecond(double value) {
    return toBuilder().prefillTokensPerSecond(value).build();
  }

  public SimEngineConfig withMaxRunning(int value) {
    return toBuilder().maxRunning(value).build();
  }

  public SimEngineConfig withBlockSize(int value) {
    return toBuilder().blockSize(value).build();
  }

  public SimEngineConfig withKvTokens(long value) {
    return toBuilder().kvTokens(value).build();
  }

  public SimEngineConfig withMaxModelLen(int value) {
    return toBuilder().maxModelLen(value).build();
  }

  public SimEngineConfig withFaults(FaultSettings value) {
    return toBuilder().faults(value).build();
  }

  private static void requireNonNegative(String name, double value) {
    if (!(value >= 0)) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  /** Mutable builder; every setter has the default documented on the record. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port;
    private List<String> models = List.of(DEFAULT_MODEL);
    private double prefillBaseMs;
    private double prefillTokensPerSecond = DEFAULT_PREFILL_TOKENS_PER_SECOND;
    private double decodeMs = DEFAULT_DECODE_MS;
    private int maxRunning = DEFAULT_MAX_RUNNING;
    private int blockSize = DEFAULT_BLOCK_SIZE;
    private long kvTokens = DEFAULT_KV_TOKENS;
    private int maxModelLen = DEFAULT_MAX_MODEL_LEN;
    private int ioThreads;
    private int recentRequests = DEFAULT_RECENT_REQUESTS;
    private FaultSettings faults = FaultSettings.NONE;
    private int dpSize = 1;

    private Builder() {
    }

    private Builder(SimEngineConfig config) {
      host = config.host;
      port = config.port;
      models = config.models;
      prefillBaseMs = config.prefillBaseMs;
      prefillTokensPerSecond = config.prefillTokensPerSecond;
      decodeMs = config.decodeMs;
      maxRunning = config.maxRunning;
      blockSize = config.blockSize;
      kvTokens = config.kvTokens;
      maxModelLen = config.maxModelLen;
      ioThreads = config.ioThreads;
      recentRequests = config.recentRequests;
      faults = config.faults;
      dpSize = config.dpSize;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder models(List<String> value) {
      models = value;
      return this;
    }

    public Builder models(String... value) {
      return models(List.of(value));
    }

    public Builder prefillBaseMs(double value) {
      prefillBaseMs = value;
      return this;
    }

    public Builder prefillTokensPerSecond(double value) {
      prefillTokensPerSecond = value;
      return this;
    }

    public Builder decodeMs(double value) {
      decodeMs = value;
      return this;
    }

    public Builder maxRunning(int value) {
      maxRunning = value;
      return this;
    }

    public Builder blockSize(int value) {
      blockSize = value;
      return this;
    }

    public Builder kvTokens(long value) {
      kvTokens = value;
      return this;
    }

    public Builder maxModelLen(int value) {
      maxModelLen = value;
      return this;
    }

    public Builder ioThreads(int value) {
      ioThreads = value;
      return this;
    }

    public Builder recentRequests(int value) {
      recentRequests = value;
      return this;
    }

    public Builder faults(FaultSettings value) {
      faults = value;
      return this;
    }

    public Builder dpSize(int value) {
      dpSize = value;
      return this;
    }

    public SimEngineConfig build() {
      return new SimEngineConfig(host, port, models, prefillBaseMs, prefillTokensPerSecond, decodeMs,
          maxRunning, blockSize, kvTokens, maxModelLen, ioThreads, recentRequests, faults, dpSize);
    }
  }
}
