package dev.shepherd.bench.routing;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Simulated engines started inside the benchmark's own JVM with {@code SimEngine.start(SimEngineConfig
 * .defaults().withPort(0)...)}, loaded from the distribution's {@code lib/} (the benchmark module
 * compiles against the JDK only, so the simulator is reached by reflection). They run on their own
 * Undertow IO threads and spend simulated compute time on timers, so they cost the client little; and
 * unlike {@code bin/smg sim} child processes they cannot be ended by another tool's process sweep.
 */
final class InProcessEngines implements AutoCloseable {

    private final List<AutoCloseable> engines = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();

    static InProcessEngines start(Path dist, int count, String model, long kvTokens, double prefillTps,
                                  double decodeMs, int maxRunning, Path work) throws Exception {
        Path logback = work.resolve("engines-logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{36} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(work.resolve("engines.log")));
        System.setProperty("logback.configurationFile", logback.toString());
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> lib = Files.list(dist.resolve("lib"))) {
            for (Path jar : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        ClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> configType = loader.loadClass("dev.shepherd.sim.SimEngineConfig");
        Class<?> engineType = loader.loadClass("dev.shepherd.sim.SimEngine");
        InProcessEngines started = new InProcessEngines();
        for (int i = 0; i < count; i++) {
            Object config = configType.getMethod("defaults").invoke(null);
            config = configType.getMethod("withPort", int.class).invoke(config, 0);
            config = configType.getMethod("withModels", String[].class).invoke(config, (Object) new String[] {model});
            config = configType.getMethod("withKvTokens", long.class).invoke(config, kvTokens);
            config = configType.getMethod("withPrefillTokensPerSecond", double.class).invoke(config, prefillTps);
            config = configType.getMethod("withDecodeMs", double.class).invoke(config, decodeMs);
            config = configType.getMethod("withMaxRunning", int.class).invoke(config, maxRunning);
            Object engine = engineType.getMethod("start", configType).invoke(null, config);
            started.engines.add((AutoCloseable) engine);
            started.urls.add((String) engineType.getMethod("url").invoke(engine));
        }
        return started;
    }

    List<String> urls() {
        return urls;
    }

    @Override
    public void close() throws IOException {
        for (AutoCloseable engine : engines) {
            try {
                engine.close();
            } catch (Exception e) {
                throw new IOException("closing a simulated engine failed", e);
            }
        }
    }
}
