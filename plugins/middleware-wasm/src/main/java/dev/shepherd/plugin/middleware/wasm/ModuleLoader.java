package dev.shepherd.plugin.middleware.wasm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Turns a module declaration (path or inline bytes) into a running {@link LoadedModule}: reads,
 * hashes, validates, compiles, and starts one instance. Everything that can go wrong surfaces as an
 * {@link InvalidModuleException} with a message fit for an operator.
 */
final class ModuleLoader {

    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final Deadlines deadlines;
    private final Clock clock;
    private final Engine engine;
    private final int maxIdle;
    private final int maxOutputBytes;

    ModuleLoader(ObjectMapper mapper, MeterRegistry meters, Deadlines deadlines, Clock clock,
                 WasmMiddlewareConfig config) {
        this.mapper = mapper;
        this.meters = meters;
        this.deadlines = deadlines;
        this.clock = clock;
        this.engine = Engine.parse(config.engine());
        this.maxIdle = config.maxIdleInstances();
        this.maxOutputBytes = config.maxOutputBytes();
    }

    /** The bytes a declaration names: inline base64 or a file on the gateway host. */
    static byte[] bytesOf(ModuleConfig config) {
        if (config.wasmBase64() != null) {
            try {
                return Base64.getMimeDecoder().decode(config.wasmBase64());
            } catch (IllegalArgumentException e) {
                throw new InvalidModuleException("wasm_base64 is not valid base64");
            }
        }
        if (config.path() == null) {
            throw new InvalidModuleException("module '" + config.name() + "' needs a path or wasm_base64");
        }
        try {
            return Files.readAllBytes(Path.of(config.path()));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new InvalidModuleException("cannot read the module file " + config.path() + ": " + e.getMessage());
        }
    }

    LoadedModule load(ModuleConfig config, byte[] wasm) {
        byte[] guestConfig;
        try {
            guestConfig = mapper.writeValueAsBytes(config.config());
        } catch (JsonProcessingException e) {
            throw new InvalidModuleException("the module's config cannot be written as JSON: " + e.getMessage());
        }
        GuestModule guest = GuestModule.load(config.name(), wasm, config.hookSet(), config.maxPages(), maxOutputBytes,
                engine, guestConfig, new ModuleVariables(clock), clock);
        LoadedModule module = new LoadedModule(config, sha256(wasm), wasm.length, guest, maxIdle,
                new ModuleMetrics(meters, config.name()), deadlines, clock);
        module.warmUp();
        return module;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
