package dev.shepherd.sim;

import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a simulated engine as a process until it is interrupted (or crashes through a die fault, when
 * the process exits with status 1). The distribution exposes it as {@code smg sim}.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs a simulated LLM inference engine (vLLM/SGLang-like HTTP API, no GPU).")
public final class SimEngineMain implements Callable<Integer> {

  private static final String LOGBACK_CONFIG_PROPERTY = "logback.configurationFile";
  private static final String DEFAULT_LOGBACK_CONFIG = "dev/shepherd/sim/sim-logback.xml";

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host = SimEngineConfig.DEFAULT_HOST;

  @Option(names = "--port", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 8001;

  @Option(names = "--model", description = "Served model id; repeat for several (default: sim-model).")
  List<String> models = List.of();

  @Option(names = "--prefill-base-ms", description = "Fixed time to first token (default: ${DEFAULT-VALUE}).")
  double prefillBaseMs;

  @Option(names = "--prefill-tps",
      description = "Prefill speed in uncached prompt tokens/s; 0 = instant (default: ${DEFAULT-VALUE}).")
  double prefillTokensPerSecond = SimEngineConfig.DEFAULT_PREFILL_TOKENS_PER_SECOND;

  @Option(names = "--decode-ms", description = "Time of one decode step; 0 = instant (default: ${DEFAULT-VALUE}).")
  double decodeMs = SimEngineConfig.DEFAULT_DECODE_MS;

  @Option(names = "--fast", description = "No simulated compute time: same as --prefill-base-ms 0 --prefill-tps 0"
      + " --decode-ms 0.")
  boolean fast;

  @Option(names = "--max-running", description = "Running-batch size; more requests queue (default: ${DEFAULT-VALUE}).")
  int maxRunning = SimEngineConfig.DEFAULT_MAX_RUNNING;

  @Option(names = "--block-size", description = "Tokens per KV block (default: ${DEFAULT-VALUE}).")
  int blockSize = SimEngineConfig.DEFAULT_BLOCK_SIZE;

  @Option(names = "--kv-tokens", description = "KV capacity in tokens (default: ${DEFAULT-VALUE}).")
  long kvTokens = SimEngineConfig.DEFAULT_KV_TOKENS;

  @Option(names = "--max-model-len", description = "Context length (default: ${DEFAULT-VALUE}).")
  int maxModelLen = SimEngineConfig.DEFAULT_MAX_MODEL_LEN;

  @Option(names = "--io-threads", description = "IO threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
  int ioThreads;

  @Option(names = "--recent-requests",
      description = "Inference requests kept for /sim/stats (default: ${DEFAULT-VALUE}).")
  int recentRequests = SimEngineConfig.DEFAULT_RECENT_REQUESTS;

  @Option(names = "--dp-size",
      description = "Data-parallel ranks reported as dp_size by /get_server_info (default: ${DEFAULT-VALUE}).")
  int dpSize = 1;

  @Option(names = "--error-rate", description = "Fraction of requests answered with --error-status (default: 0).")
  double errorRate;

  @Option(names = "--error-status", description = "Status of injected errors (default: ${DEFAULT-VALUE}).")
  int errorStatus = FaultSettings.NONE.errorStatus();

  @Option(names = "--slow-ms", description = "Extra delay before the first byte (default: 0).")
  long slowMs;

  @Option(names = "--hang", description = "Accept inference requests and never answer them.")
  boolean hang;

  @Option(names = "--die-after", description = "Crash after this many inference requests; 0 = never (default: 0).")
  int dieAfter;

  @Option(names = "--die-mid-stream-after-tokens",
      description = "Cut streams abruptly after this many tokens; 0 = never (default: 0).")
  int dieMidStreamAfterTokens;

  @Option(names = "--unavailable-retry-after-secs",
      description = "Answer inference with 503 and this Retry-After; 0 = off (default: 0).")
  int unavailableRetryAfterSecs;

  @Option(names = "--unhealthy", description = "Health endpoints answer 503.")
  boolean unhealthy;

  public static void main(String[] args) {
    // A quiet console unless the caller configured logging; must happen before the first logger exists.
    if (System.getProperty(LOGBACK_CONFIG_PROPERTY) == null) {
      System.setProperty(LOGBACK_CONFIG_PROPERTY, DEFAULT_LOGBACK_CONFIG);
    }
    System.exit(new CommandLine(new SimEngineMain()).execute(args));
  }

  /** The configuration these options describe. */
  SimEngineConfig toConfig() {
    SimEngineConfig.Builder builder = SimEngineConfig.builder()
        .host(host)
        .port(port)
        .prefillBaseMs(fast ? 0 : prefillBaseMs)
        .prefillTokensPerSecond(fast ? 0 : prefillTokensPerSecond)
        .decodeMs(fast ? 0 : decodeMs)
        .maxRunning(maxRunning)
        .blockSize(blockSize)
        .kvTokens(kvTokens)
        .maxModelLen(maxModelLen)
        .ioThreads(ioThreads)
        .recentRequests(recentRequests)
        .dpSize(dpSize)
        .faults(new FaultSettings(errorRate, errorStatus, slowMs, hang, dieAfter, dieMidStreamAfterTokens,
            unavailableRetryAfterSecs, unhealthy));
    if (!models.isEmpty()) {
      builder.models(models);
    }
    return builder.build();
  }

  @Override
  public Integer call() throws InterruptedException {
    SimEngine engine = SimEngine.start(toConfig());
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sim-engine-shutdown").unstarted(engine::close));
    engine.awaitStopped();
    if (engine.hasCrashed()) {
      LoggerFactory.getLogger(SimEngineMain.class).warn("Simulated engine crashed (fault injection); exiting");
      return 1;
    }
    return 0;
  }
}
