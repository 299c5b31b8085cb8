package dev.shepherd.kernel.observe.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.kernel.manifest.LoggingSection;
import dev.shepherd.kernel.manifest.Mappers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest's {@code logging} keys, as the manifest binder reads them. */
class LoggingSectionTest {

    private static LoggingSection bind(Map<String, Object> keys) {
        return Mappers.binding().convertValue(keys, LoggingSection.class);
    }

    @Test
    void defaultsAreTextAtInfoOnTheConsole() {
        LoggingOptions options = bind(Map.of()).toOptions();

        assertThat(options).isEqualTo(new LoggingOptions("info", false, null, 7, true));
    }

    @Test
    void everyKeyMapsToTheLoggingOptions() {
        LoggingOptions options = bind(Map.of("level", "DEBUG", "json", true, "dir", "/var/log/smg", "max_history_days", 30,
                "access_log", false)).toOptions();

        assertThat(options).isEqualTo(new LoggingOptions("debug", true, Path.of("/var/log/smg"), 30, false));
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> bind(Map.of("level", "loud"))).hasMessageContaining("level must be one of");
        assertThatThrownBy(() -> bind(Map.of("max_history_days", 0))).hasMessageContaining("max_history_days");
        assertThatThrownBy(() -> bind(Map.of("file", "x"))).hasMessageContaining("file");
    }
}
