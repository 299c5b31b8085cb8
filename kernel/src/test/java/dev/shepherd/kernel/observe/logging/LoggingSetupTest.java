package dev.shepherd.kernel.observe.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingSetupTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Logger KERNEL = LoggerFactory.getLogger("dev.shepherd.kernel.Example");

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @AfterEach
    void restoreTheDefaultConfiguration() throws Exception {
        MDC.clear();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    private List<String> lines(int atLeast) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> output().size() >= atLeast);
        return output();
    }

    private List<String> output() {
        synchronized (console) {
            String text = console.toString(StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not one JSON object: " + line, e);
        }
    }

    @Test
    void jsonLinesCarryTimestampLevelLoggerThreadMessageAndTheRequestsIds() {
        LoggingSetup.apply(LoggingOptions.of("info", true, null), console);
        MDC.put("request_id", "req-7");
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("span_id", "00f067aa0ba902b7");
        KERNEL.info("routed to {}", "http://gpu1:8000");
        MDC.clear();
        KERNEL.warn("no request here");

        List<String> lines = lines(2);
        JsonNode first = parse(lines.get(0));
        assertThat(Instant.parse(first.path("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(first.path("timestamp").asText()).endsWith("Z");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("logger").asText()).isEqualTo("dev.shepherd.kernel.Example");
        assertThat(first.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.path("message").asText()).isEqualTo("routed to http://gpu1:8000");
        assertThat(first.path("request_id").asText()).isEqualTo("req-7");
        assertThat(first.path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(first.path("span_id").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(first.has("@version")).isFalse();
        assertThat(first.has("level_value")).isFalse();
        JsonNode second = parse(lines.get(1));
        assertThat(second.path("level").asText()).isEqualTo("WARN");
        assertThat(second.has("request_id")).isFalse();
    }

    @Test
    void aStackTraceStaysInsideItsJsonLine() {
        LoggingSetup.apply(LoggingOptions.of("info", true, null), console);
        KERNEL.error("request failed", new IllegalStateException("boom\nsecond line"));

        List<String> lines = lines(1);
        assertThat(lines).hasSize(1);
        JsonNode line = parse(lines.get(0));
        assertThat(line.path("stack_trace").asText()).contains("IllegalStateException: boom").contains("LoggingSetupTest");
    }

    @Test
    void credentialsAreMaskedInMessagesMdcAndStackTraces() {
        LoggingSetup.apply(LoggingOptions.of("info", true, null), console);
        MDC.put("auth", "Bearer secret-in-mdc-123");
        KERNEL.info("client sent Authorization: Bearer secret-in-message-123 and api_key=secret-key-123");
        KERNEL.error("failed", new IllegalArgumentException("x-api-key: secret-in-exception-123"));
        MDC.clear();

        List<String> lines = lines(2);
        assertThat(String.join("\n", lines)).doesNotContain("secret-in-mdc-123", "secret-in-message-123",
                "secret-key-123", "secret-in-exception-123");
        assertThat(parse(lines.get(0)).path("message").asText())
                .isEqualTo("client sent Authorization: **** **** and api_key=****");
    }

    @Test
    void textLinesShowTheRequestIdAndAreMaskedToo() {
        LoggingSetup.apply(LoggingOptions.of("info", false, null), console);
        MDC.put("request_id", "req-9");
        KERNEL.info("Authorization: Bearer secret-text-123456");
        MDC.clear();
        KERNEL.info("plain");

        List<String> lines = lines(2);
        assertThat(lines.get(0)).contains(" [req-9] - ").endsWith("Authorization: **** ****").doesNotContain("secret-text");
        assertThat(lines.get(1)).endsWith("dev.shepherd.kernel.Example - plain").doesNotContain("[]");
    }

    @Test
    void theLevelAppliesToShepherdAndTheAccessLogWhileLibrariesStayAtWarn() {
        LoggingSetup.apply(LoggingOptions.of("debug", true, null), console);
        KERNEL.debug("kernel debug");
        LoggerFactory.getLogger(AccessLogObserver.LOGGER).debug("access debug");
        LoggerFactory.getLogger("org.xnio.Xnio").info("library info");
        LoggerFactory.getLogger("io.undertow.Undertow").info("library info");
        LoggerFactory.getLogger("com.example.Other").debug("other debug");
        LoggerFactory.getLogger("com.example.Other").info("other info");
        KERNEL.info("marker");

        List<String> messages = lines(4).stream().map(l -> parse(l).path("message").asText()).toList();
        assertThat(messages).containsExactly("kernel debug", "access debug", "other info", "marker");
    }

    @Test
    void warnSilencesInfoEverywhere() {
        LoggingSetup.apply(LoggingOptions.of("warn", false, null), console);
        KERNEL.info("hidden");
        LoggerFactory.getLogger(AccessLogObserver.LOGGER).info("hidden");
        LoggerFactory.getLogger("com.example.Other").info("hidden");
        KERNEL.warn("shown");

        assertThat(lines(1)).singleElement().asString().endsWith("shown");
    }

    @Test
    void theAccessLogCanBeSwitchedOffAlone() {
        LoggingSetup.apply(new LoggingOptions("info", false, null, 7, false), console);
        LoggerFactory.getLogger(AccessLogObserver.LOGGER).info("hidden");
        KERNEL.info("shown");

        assertThat(lines(1)).singleElement().asString().endsWith("shown");
        assertThat(LoggerFactory.getLogger(AccessLogObserver.LOGGER).isInfoEnabled()).isFalse();
    }

    @Test
    void javaUtilLoggingLinesLikeOpenTelemetrysBecomeJsonToo() {
        LoggingSetup.apply(LoggingOptions.of("info", true, null), console);
        java.util.logging.Logger.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter")
                .severe("Failed to export spans.");

        JsonNode line = parse(lines(1).get(0));
        assertThat(line.path("message").asText()).isEqualTo("Failed to export spans.");
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("logger").asText()).isEqualTo("io.opentelemetry.exporter.internal.http.HttpExporter");
    }

    @Test
    void aLogDirectoryGetsSmgLogBesideTheConsole(@TempDir Path dir) throws IOException {
        Path logs = dir.resolve("logs/smg");
        LoggingSetup.apply(new LoggingOptions("info", true, logs, 3, true), console);
        KERNEL.info("to both");

        assertThat(lines(1)).hasSize(1);
        Path file = logs.resolve("smg.log");
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(file) && Files.readString(file).contains("to both"));
        assertThat(parse(Files.readAllLines(file).get(0)).path("message").asText()).isEqualTo("to both");
    }

    @Test
    void aTextLogDirectoryWritesTextLines(@TempDir Path dir) throws IOException {
        LoggingSetup.apply(new LoggingOptions("info", false, dir, 3, true), console);
        KERNEL.info("text to file");

        Path file = dir.resolve("smg.log");
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(file) && Files.readString(file).contains("text to file"));
        assertThat(Files.readString(file)).contains(" INFO  [").contains("dev.shepherd.kernel.Example - text to file");
    }

    @Test
    void stopWritesOutWhatIsQueued() {
        LoggingSetup.apply(LoggingOptions.of("info", true, null), console);
        for (int i = 0; i < 500; i++) {
            KERNEL.info("line {}", i);
        }
        LoggingSetup.stop();

        assertThat(output()).hasSize(500);
    }
}
