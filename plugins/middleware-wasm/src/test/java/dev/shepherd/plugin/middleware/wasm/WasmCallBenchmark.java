package dev.shepherd.plugin.middleware.wasm;

import dev.shepherd.spi.middleware.HookResult;
import dev.shepherd.testkit.fakes.ConfigBinding;
import dev.shepherd.testkit.fakes.FakeRequest;
import dev.shepherd.testkit.fakes.TestPluginContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of a guest on the request path, sampled (p50/p99):
 * <ul>
 *   <li>{@code hook}: {@code WasmMiddleware.onRequest} as the kernel calls it: request message written,
 *       hop to a virtual thread, instance from the pool, deadline armed, guest run, action read, back;</li>
 *   <li>{@code guest}: only {@code LoadedModule.call} on the benchmark thread (deadline + guest);</li>
 *   <li>{@link #virtualThreadHop}: the hop alone, for reference.</li>
 * </ul>
 * Guests: {@code noop} (returns at once) and {@code headers} (logs below the logger's level, writes a
 * modify action). Run by {@link WasmBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class WasmCallBenchmark {

    @Param({"compiled", "interpreted"})
    public String engine;

    @Param({"noop", "headers"})
    public String guest;

    private TestPluginContext context;
    private WasmMiddleware middleware;
    private LoadedModule module;
    private FakeRequest request;
    private byte[] message;
    private ExecutorService hop;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        context = new TestPluginContext();
        WasmMiddlewareConfig config = ConfigBinding.bind("{'engine':'" + engine + "'}", WasmMiddlewareConfig.class);
        middleware = (WasmMiddleware) new WasmMiddlewareFactory().create(config, context);
        module = middleware.registry().put(Guests.module(guest, "{'hooks':['on_request']}"), Wat.wasm(guest));
        request = Guests.chat("req-bench", "Tell me about sheep in one short sentence, please.")
                .header("content-type", "application/json").header("authorization", "Bearer client-key")
                .header("user-agent", "bench/1.0");
        message = GuestMessages.request(request, GuestMessages.flatten(request.headers()), request.parsed().body());
        hop = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        middleware.close();
        context.close();
        hop.close();
    }

    @Benchmark
    public HookResult hook() {
        return middleware.onRequest(request).toCompletableFuture().join();
    }

    @Benchmark
    public GuestOutcome guest() {
        return module.call(Hook.ON_REQUEST, message);
    }

    @Benchmark
    public Object virtualThreadHop() {
        return CompletableFuture.supplyAsync(() -> HookResult.Continue.INSTANCE, hop).join();
    }
}
