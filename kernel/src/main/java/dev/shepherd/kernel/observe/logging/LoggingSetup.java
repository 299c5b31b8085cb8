package dev.shepherd.kernel.observe.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.shepherd.kernel.observe.tracing.TracingObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up logging from the command line alone, no configuration file needed: text or one JSON
 * object per line on standard output, optionally also a daily rolling {@code smg.log}, with the
 * request and trace ids of the request a line is about, and credentials masked.
 *
 * <p>JSON lines carry {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, the MDC ({@code request_id}, {@code trace_id}, {@code span_id}), structured
 * arguments as fields of their own, and {@code stack_trace}. Writing happens on a background thread
 * (I/O threads never wait for the console or the disk); when the queue of {@value #QUEUE_SIZE} lines
 * is full, new lines are dropped rather than stall requests. OpenTelemetry's and other
 * {@code java.util.logging} output is routed here too, so the console stays one format.
 *
 * <p>Call {@link #apply} once at start-up, after the flags are read, and {@link #stop} last at shutdown
 * to flush what is queued.
 */
public final class LoggingSetup {

    /** Lines waiting to be written, per destination. */
    static final int QUEUE_SIZE = 8192;
    /** Rolled files of all days together stay under this. */
    static final String TOTAL_SIZE_CAP = "2GB";
    static final String FILE_NAME = "smg.log";

    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}"
            + "%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n";

    /** Libraries that are chatty at info. */
    private static final List<String> QUIET = List.of("org.xnio", "io.undertow", "org.jboss", "org.pf4j", "io.opentelemetry");

    private LoggingSetup() {
    }

    /** Replaces the current logging configuration with {@code options}. */
    public static void apply(LoggingOptions options) {
        apply(options, null);
    }

    /** As {@link #apply(LoggingOptions)}, the console replaced by {@code console} when not null (tests). */
    static synchronized void apply(LoggingOptions options, OutputStream console) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        if (options.dir() != null) {
            try {
                Files.createDirectories(options.dir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the log directory " + options.dir() + ": " + e.getMessage(), e);
            }
            if (!Files.isWritable(options.dir())) {
                String message = "the log directory " + options.dir() + " is not writable";
                throw new UncheckedIOException(message, new IOException(message));
            }
        }
        context.reset();
        Level level = Level.toLevel(options.level(), Level.INFO);
        Level others = level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN;
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO);
        context.getLogger("dev.shepherd").setLevel(level);
        context.getLogger(AccessLogObserver.LOGGER).setLevel(options.accessLog() ? level : Level.OFF);
        for (String name : QUIET) {
            context.getLogger(name).setLevel(others);
        }

        OutputStreamAppender<ILoggingEvent> out;
        if (console == null) {
            ConsoleAppender<ILoggingEvent> consoleAppender = new ConsoleAppender<>();
            consoleAppender.setName("console");
            out = consoleAppender;
        } else {
            out = new OutputStreamAppender<>();
            out.setName("console");
            out.setOutputStream(console);
        }
        out.setContext(context);
        out.setEncoder(encoder(context, options.json()));
        out.start();
        root.addAppender(async(context, out));

        if (options.dir() != null) {
            root.addAppender(async(context, rollingFile(context, options)));
        }

        LevelChangePropagator julLevels = new LevelChangePropagator();
        julLevels.setContext(context);
        julLevels.setResetJUL(true);
        julLevels.start();
        context.addListener(julLevels);
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** Writes out what is queued and closes the log files; the last thing at shutdown. */
    public static synchronized void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static Appender<ILoggingEvent> rollingFile(LoggerContext context, LoggingOptions options) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(options.dir().resolve(FILE_NAME).toString());
        TimeBasedRollingPolicy<ILoggingEvent> daily = new TimeBasedRollingPolicy<>();
        daily.setContext(context);
        daily.setParent(file);
        daily.setFileNamePattern(options.dir().resolve("smg.%d{yyyy-MM-dd}.log.gz").toString());
        daily.setMaxHistory(options.maxHistoryDays());
        daily.setTotalSizeCap(FileSize.valueOf(TOTAL_SIZE_CAP));
        daily.start();
        file.setRollingPolicy(daily);
        file.setEncoder(encoder(context, options.json()));
        file.start();
        return file;
    }

    private static Appender<ILoggingEvent> async(LoggerContext context, Appender<ILoggingEvent> target) {
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("async-" + target.getName());
        async.setQueueSize(QUEUE_SIZE);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.setMaxFlushTime(5000);
        async.addAppender(target);
        async.start();
        return async;
    }

    static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        if (json) {
            LogstashEncoder encoder = new LogstashEncoder();
            encoder.setContext(context);
            LogstashFieldNames names = new LogstashFieldNames();
            names.setTimestamp("timestamp");
            names.setLogger("logger");
            names.setThread("thread");
            names.setVersion("[ignore]");
            names.setLevelValue("[ignore]");
            encoder.setFieldNames(names);
            encoder.setTimeZone("UTC");
            encoder.setIncludeContext(false);
            MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
            masking.addValueMasker((ctx, value) -> value instanceof String s && !UNMASKED.contains(ctx.currentName())
                    ? SecretMask.mask(s) : value);
            masking.start();
            encoder.addDecorator(masking);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern(TEXT_PATTERN);
        pattern.setCharset(StandardCharsets.UTF_8);
        pattern.start();
        MaskingTextEncoder masking = new MaskingTextEncoder(pattern);
        masking.setContext(context);
        masking.start();
        return masking;
    }

    /** JSON fields whose values the gateway itself writes and that cannot hold a secret. */
    private static final java.util.Set<String> UNMASKED = java.util.Set.of("timestamp", "level", "logger", "thread",
            "request_id", TracingObserver.MDC_TRACE_ID, TracingObserver.MDC_SPAN_ID);

    /** A text encoder whose lines pass through {@link SecretMask}. */
    private static final class MaskingTextEncoder extends EncoderBase<ILoggingEvent> {
        private final PatternLayoutEncoder inner;

        MaskingTextEncoder(PatternLayoutEncoder inner) {
            this.inner = inner;
        }

        @Override
        public byte[] headerBytes() {
            return inner.headerBytes();
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            String line = inner.getLayout().doLayout(event);
            return SecretMask.mask(line).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] footerBytes() {
            return inner.footerBytes();
        }

        @Override
        public void stop() {
            inner.stop();
            super.stop();
        }
    }
}
