package dev.shepherd.bench.soak;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;

/**
 * One simulated engine ({@code dev.shepherd.sim.SimEngine}) running inside the driver's JVM on a fixed
 * port, so it can be killed (closed: listener and every open connection dropped, streams in flight
 * included) and restarted on the same port in milliseconds. The engine classes come from the assembled
 * server's {@code lib/} on the driver's class path and are reached by reflection, so this module
 * compiles against the JDK alone. Faults are set through the engine's own {@code /sim/faults}.
 */
final class InProcessSim {

    private static final Method DEFAULTS;
    private static final Method WITH_PORT;
    private static final Method WITH_DECODE_MS;
    private static final Method WITHOUT_DELAYS;
    private static final Method START;
    private static final Method CLOSE;
    private static final Method IS_ALIVE;

    static {
        try {
            Class<?> config = Class.forName("dev.shepherd.sim.SimEngineConfig");
            Class<?> engine = Class.forName("dev.shepherd.sim.SimEngine");
            DEFAULTS = config.getMethod("defaults");
            WITH_PORT = config.getMethod("withPort", int.class);
            WITH_DECODE_MS = config.getMethod("withDecodeMs", double.class);
            WITHOUT_DELAYS = config.getMethod("withoutDelays");
            START = engine.getMethod("start", config);
            CLOSE = engine.getMethod("close");
            IS_ALIVE = engine.getMethod("isAlive");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the simulated engine is not on the class path "
                    + "(run through soak.sh, which puts the assembled server's lib/ on it)", e);
        }
    }

    final int port;
    private final Object config;
    private volatile Object engine;

    /**
     * @param decodeMs the decode step, or a negative value for an engine without any simulated delay
     */
    InProcessSim(int port, double decodeMs) {
        this.port = port;
        Object c = call(DEFAULTS, null);
        c = call(WITH_PORT, c, port);
        this.config = decodeMs < 0 ? call(WITHOUT_DELAYS, c) : call(WITH_DECODE_MS, c, decodeMs);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the engine on its port, replacing a crashed or closed one. */
    synchronized void start() {
        Object old = engine;
        if (old != null) {
            call(CLOSE, old);
        }
        engine = call(START, null, config);
    }

    /** False once the engine was killed or crashed itself (a die fault). */
    boolean alive() {
        Object e = engine;
        return e != null && (Boolean) call(IS_ALIVE, e);
    }

    boolean serving() {
        return alive() && Processes.ok(url() + "/health");
    }

    /** The worker vanishes: the listener closes and every open connection drops, streams included. */
    synchronized void kill() {
        Object e = engine;
        if (e != null) {
            call(CLOSE, e);
        }
    }

    /** Sets faults ({@code POST /sim/faults}); false when the engine could not be reached. */
    boolean faults(String json) {
        HttpResponse<String> r = Processes.call("POST", url() + "/sim/faults", json);
        return r != null && r.statusCode() == 200;
    }

    boolean reset() {
        HttpResponse<String> r = Processes.call("POST", url() + "/sim/reset", null);
        return r != null && r.statusCode() == 200;
    }

    void stop() {
        kill();
    }

    private static Object call(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("simulated engine: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
