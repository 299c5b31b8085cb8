package dev.shepherd.plugin.middleware.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.time.Clock;
import java.util.Set;
import java.util.function.Function;

/**
 * One guest's code, parsed, validated and (in compiled mode) translated to JVM bytecode once; it stamps
 * out instances, each with its own memory capped at {@code maxPages}. Thread-safe.
 */
final class GuestModule {

    private final String name;
    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final Set<String> exports;
    private final int maxPages;
    private final int maxOutputBytes;
    private final byte[] config;
    private final ModuleVariables variables;
    private final Clock clock;

    private GuestModule(String name, WasmModule module, Function<Instance, Machine> machines, Set<String> exports,
                        int maxPages, int maxOutputBytes, byte[] config, ModuleVariables variables, Clock clock) {
        this.name = name;
        this.module = module;
        this.machines = machines;
        this.exports = exports;
        this.maxPages = maxPages;
        this.maxOutputBytes = maxOutputBytes;
        this.config = config;
        this.variables = variables;
        this.clock = clock;
    }

    /**
     * @param config the guest's configuration message (JSON), handed to {@code on_configure}
     * @throws InvalidModuleException for bytes that are not a valid ABI v1 guest
     */
    static GuestModule load(String name, byte[] wasm, Set<Hook> hooks, int maxPages, int maxOutputBytes, Engine engine,
                            byte[] config, ModuleVariables variables, Clock clock) {
        WasmModule parsed;
        try {
            parsed = Parser.parse(wasm);
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new InvalidModuleException("not a valid WebAssembly module: " + e.getMessage(), e);
        }
        Set<String> exports = ModuleValidator.validate(parsed, hooks, maxPages);
        Function<Instance, Machine> machines;
        try {
            machines = engine == Engine.COMPILED ? MachineFactoryCompiler.compile(parsed) : InterpreterMachine::new;
        } catch (ChicoryException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidModuleException("the module could not be compiled: " + e.getMessage(), e);
        }
        return new GuestModule(name, parsed, machines, exports, maxPages, maxOutputBytes, config, variables, clock);
    }

    String name() {
        return name;
    }

    boolean exports(String function) {
        return exports.contains(function);
    }

    /**
     * A new, configured instance. Runs guest code (start function, {@code _initialize},
     * {@code on_configure}), so callers run it under the call deadline.
     *
     * @throws InvalidModuleException when the guest refuses its configuration
     */
    GuestInstance instantiate() {
        GuestCall call = new GuestCall(maxOutputBytes);
        HostFunctions host = new HostFunctions(name, call, config, variables, clock);
        Instance instance = Instance.builder(module)
                .withImportValues(host.imports())
                .withMachineFactory(machines)
                .withMemoryFactory(this::cappedMemory)
                .build();
        GuestInstance guest = new GuestInstance(instance, call);
        if (exports.contains(GuestAbi.INITIALIZE)) {
            guest.invoke(GuestAbi.INITIALIZE, null);
        }
        if (exports.contains(GuestAbi.ON_CONFIGURE)) {
            int status = guest.invoke(GuestAbi.ON_CONFIGURE, config);
            if (status != 0) {
                byte[] reason = call.output();
                throw new InvalidModuleException("the guest refused its configuration (status " + status + ")"
                        + (reason == null ? "" : ": " + new String(reason, java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return guest;
    }

    /** The module's declared memory with its maximum lowered to the cap, so memory.grow past it returns -1. */
    private ByteArrayMemory cappedMemory(MemoryLimits declared) {
        int maximum = Math.min(declared.maximumPages(), maxPages);
        return new ByteArrayMemory(new MemoryLimits(Math.min(declared.initialPages(), maximum), maximum));
    }
}
