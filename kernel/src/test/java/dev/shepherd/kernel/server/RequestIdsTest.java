package dev.shepherd.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    private final RequestIds ids = new RequestIds(List.of("x-request-id", "x-correlation-id"));

    @Test
    void aSafeClientIdIsEchoed() {
        assertThat(ids.resolve(headers("x-request-id", "client-42_ABC.def"))).isEqualTo("client-42_ABC.def");
        assertThat(ids.resolve(headers("X-Request-ID", "upper"))).as("header names ignore case").isEqualTo("upper");
    }

    @Test
    void headersAreAskedInTheirConfiguredOrder() {
        HeaderMap both = headers("x-correlation-id", "second");
        both.put(new HttpString("x-request-id"), "first");

        assertThat(ids.resolve(both)).isEqualTo("first");
        assertThat(ids.resolve(headers("x-correlation-id", "second"))).isEqualTo("second");
    }

    @Test
    void anUnsafeClientIdIsReplaced() {
        assertThat(ids.resolve(headers("x-request-id", "a".repeat(128)))).isEqualTo("a".repeat(128));
        assertThat(ids.resolve(headers("x-request-id", "a".repeat(129)))).startsWith("req-");
        assertThat(ids.resolve(headers("x-request-id", "bad\u0001id"))).startsWith("req-");
        assertThat(ids.resolve(headers("x-request-id", "line\tbreak"))).startsWith("req-");
        assertThat(ids.resolve(headers("x-request-id", "with space"))).startsWith("req-");
        assertThat(ids.resolve(headers("x-request-id", "caf\u00e9"))).startsWith("req-");
        assertThat(ids.resolve(headers("x-request-id", ""))).startsWith("req-");
    }

    @Test
    void anUnsafeIdInOneHeaderFallsBackToTheNext() {
        HeaderMap both = headers("x-request-id", "bad\u007fid");
        both.put(new HttpString("x-correlation-id"), "good");

        assertThat(ids.resolve(both)).isEqualTo("good");
    }

    @Test
    void withoutAClientIdOneIsGenerated() {
        String id = ids.resolve(new HeaderMap());

        assertThat(id).matches("req-[A-Za-z0-9]{24}");
    }

    @Test
    void generatedIdsDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.generate();
            assertThat(id).matches("req-[A-Za-z0-9]{24}");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }

    private static HeaderMap headers(String name, String value) {
        HeaderMap map = new HeaderMap();
        map.put(new HttpString(name), value);
        return map;
    }
}
