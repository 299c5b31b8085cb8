package dev.shepherd.sim;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.XnioIoThread;

/**
 * A simulated inference engine (vLLM/SGLang-like, no GPU) serving OpenAI and SGLang endpoints over
 * HTTP. Start one per worker a test needs:
 *
 * <pre>{@code
 * try (SimEngine engine = SimEngine.start(SimEngineConfig.defaults())) {
 *   String baseUrl = engine.url();          // http://127.0.0.1:<port>
 *   engine.faults().errorRate(1.0);         // runtime fault control
 *   engine.stats().lastRequest();           // what the gateway forwarded
 * }
 * }</pre>
 *
 * <p>Requests are served on Undertow's non-blocking IO threads; simulated compute time is spent on
 * their timers, so thousands of concurrent slow requests cost no threads.
 */
public final class SimEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimEngine.class);
  private static final int WORKER_THREADS = 2;
  private static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

  /** Life of an engine: serving, crashed by a die fault, or closed by its owner. */
  private enum State { RUNNING, CRASHED, CLOSED }

  private final SimEngineConfig config;
  private final EngineRuntime runtime;
  private final Undertow server;
  private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object stopLock = new Object();
  private boolean serverStopped;
  private volatile boolean crashedBeforeClose;
  private int port;

  private SimEngine(SimEngineConfig config) {
    this.config = config;
    FaultInjector faultInjector = new FaultInjector();
    SimFaults faults = new SimFaults(config.faults(), faultInjector);
    faultInjector.attach(faults);
    ServedModels models = new ServedModels(config.models());
    this.runtime = new EngineRuntime(config, models, new GenerationRequestParser(models, config.maxModelLen()),
        new PrefixCache(config.blockSize(), config.kvTokens()),
        new BatchScheduler(config.maxRunning(), config.kvTokens()), new EngineTiming(config),
        new EngineCounters(), faultInjector, faults, new SimStats(config.recentRequests()), this::crash,
        System.currentTimeMillis() / 1000);
    Undertow.Builder builder = Undertow.builder()
        .addHttpListener(config.port(), config.host())
        .setWorkerThreads(WORKER_THREADS)
        .setSocketOption(Options.TCP_NODELAY, true)
        .setSocketOption(Options.BACKLOG, 1024)
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_BODY_BYTES)
        .setHandler(new SimHttpHandler(runtime));
    if (config.ioThreads() > 0) {
      builder.setIoThreads(config.ioThreads());
    }
    this.server = builder.build();
  }

  /** Starts an engine and returns once it accepts connections. */
  public static SimEngine start(SimEngineConfig config) {
    SimEngine engine = new SimEngine(config);
    engine.server.start();
    engine.port = ((InetSocketAddress) engine.server.getListenerInfo().get(0).getAddress()).getPort();
    LOG.info("Simulated engine serving {} at {}", config.models(), engine.url());
    return engine;
  }

  /** Starts an engine with {@link SimEngineConfig#defaults()}. */
  public static SimEngine start() {
    return start(SimEngineConfig.defaults());
  }

  /** The port actually bound (the ephemeral one when the configuration asked for 0). */
  public int port() {
    return port;
  }

  /** Base URL, e.g. {@code http://127.0.0.1:8001}; a wildcard bind address is reached via loopback. */
  public String url() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }

  public SimEngineConfig config() {
    return config;
  }

  /** Runtime fault control. */
  public SimFaults faults() {
    return runtime.faults();
  }

  /** What the engine received. */
  public SimStats stats() {
    return runtime.stats();
  }

  /** Running and waiting requests and KV usage now. */
  public EngineLoad load() {
    return runtime.scheduler().load();
  }

  /** Empties the prefix cache, as {@code POST /flush_cache}. */
  public void flushCache() {
    runtime.prefixCache().clear();
  }

  /** Clears faults (held requests proceed) and stats, as {@code POST /sim/reset}. */
  public void reset() {
    runtime.faults().reset();
    runtime.stats().reset();
  }

  /** False once the engine crashed (a die fault) or was closed. */
  public boolean isAlive() {
    return state.get() == State.RUNNING;
  }

  /** True once a die fault crashed the engine (and not {@link #close()} first). */
  public boolean hasCrashed() {
    return state.get() == State.CRASHED || crashedBeforeClose;
  }

  /** Waits until the listener is closed, by {@link #close()} or a die fault. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Waits up to {@code timeout} for the listener to close; true if it did. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Closes the listener and every open connection. Idempotent. */
  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    crashedBeforeClose |= previous == State.CRASHED;
    if (previous == State.RUNNING) {
      LOG.info("Simulated engine at {} closing", url());
    }
    if (Thread.currentThread() instanceof XnioIoThread) {
      // stopping waits for the IO threads to end: never do that on one of them
      Thread.ofPlatform().name("sim-engine-close").start(this::stopServer);
    } else {
      stopServer();
    }
  }

  /** The die faults: crash like a killed worker, dropping connections mid-response. */
  private void crash() {
    if (state.compareAndSet(State.RUNNING, State.CRASHED)) {
      LOG.warn("Simulated engine at {} crashes (fault injection)", url());
      Thread.ofPlatform().name("sim-engine-crash").start(this::stopServer);
    }
  }

  private void stopServer() {
    synchronized (stopLock) {
      if (!serverStopped) {
        server.stop();
        serverStopped = true;
        stopped.countDown();
      }
    }
  }
}
