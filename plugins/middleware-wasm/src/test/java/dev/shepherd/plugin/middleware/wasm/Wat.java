package dev.shepherd.plugin.middleware.wasm;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test fixtures: WAT text under {@code /wat}, compiled in-process (no guest toolchain needed). */
final class Wat {

    private static final Map<String, byte[]> COMPILED = new ConcurrentHashMap<>();

    private Wat() {
    }

    static byte[] wasm(String fixture) {
        return COMPILED.computeIfAbsent(fixture, name -> Wat2Wasm.parse(text(name).replace("(;LIB;)", text("lib"))));
    }

    private static String text(String name) {
        try (InputStream in = Wat.class.getResourceAsStream("/wat/" + name + ".wat")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
