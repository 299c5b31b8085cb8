package dev.shepherd.plugin.middleware.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of guest ABI v1: the functions of the {@code shepherd} import module, bound to one
 * instance's {@link GuestCall}. Every pointer and length a guest passes is checked against its memory;
 * a bad one traps the guest rather than touching anything outside it.
 */
final class HostFunctions {

    private static final Logger GUEST_LOG = LoggerFactory.getLogger("dev.shepherd.wasm.guest");

    /** Names a guest may import; anything else is refused when the module is loaded. */
    static final Set<String> NAMES = Set.of("input_length", "input_read", "output_write", "config_length",
            "config_read", "var_get", "var_set", "counter_add", "now_ms", "log");

    private static final ValType I32 = ValType.I32;
    private static final ValType I64 = ValType.I64;
    private static final long[] NONE = new long[0];

    private final String moduleName;
    private final GuestCall call;
    private final byte[] config;
    private final ModuleVariables variables;
    private final Clock clock;

    HostFunctions(String moduleName, GuestCall call, byte[] config, ModuleVariables variables, Clock clock) {
        this.moduleName = moduleName;
        this.call = call;
        this.config = config;
        this.variables = variables;
        this.clock = clock;
    }

    ImportValues imports() {
        return ImportValues.builder().addFunction(
                fn("input_length", List.of(), List.of(I32), (inst, args) -> i32(call.input().length)),
                fn("input_read", List.of(I32, I32), List.of(I32), (inst, args) -> i32(copyOut(inst, call.input(), args))),
                fn("output_write", List.of(I32, I32), List.of(I32), this::outputWrite),
                fn("config_length", List.of(), List.of(I32), (inst, args) -> i32(config.length)),
                fn("config_read", List.of(I32, I32), List.of(I32), (inst, args) -> i32(copyOut(inst, config, args))),
                fn("var_get", List.of(I32, I32, I32, I32), List.of(I32), this::varGet),
                fn("var_set", List.of(I32, I32, I32, I32), List.of(I32), this::varSet),
                fn("counter_add", List.of(I32, I32, I64, I64), List.of(I64), this::counterAdd),
                fn("now_ms", List.of(), List.of(I64), (inst, args) -> new long[] {clock.millis()}),
                fn("log", List.of(I32, I32, I32), List.of(), this::log)).build();
    }

    private static HostFunction fn(String name, List<ValType> params, List<ValType> results,
                                   com.dylibso.chicory.runtime.WasmFunctionHandle handle) {
        return new HostFunction(GuestAbi.IMPORT_MODULE, name, FunctionType.of(params, results), handle);
    }

    /** Copies up to {@code args[1]} bytes of {@code source} to guest address {@code args[0]}. */
    private static int copyOut(Instance instance, byte[] source, long[] args) {
        int ptr = (int) args[0];
        int capacity = (int) args[1];
        if (capacity < 0) {
            return GuestAbi.BAD_ARGUMENT;
        }
        int length = Math.min(capacity, source.length);
        checkRange(instance.memory(), ptr, length);
        instance.memory().write(ptr, source, 0, length);
        return length;
    }

    private long[] outputWrite(Instance instance, long... args) {
        int ptr = (int) args[0];
        int length = (int) args[1];
        if (length < 0) {
            return i32(GuestAbi.BAD_ARGUMENT);
        }
        if (length > call.maxOutputBytes()) {
            // Refuse before copying: a huge write must not cost the host its memory.
            call.refuseOutput();
            return i32(GuestAbi.LIMIT_EXCEEDED);
        }
        byte[] bytes = read(instance.memory(), ptr, length);
        return i32(call.setOutput(bytes) ? GuestAbi.OK : GuestAbi.LIMIT_EXCEEDED);
    }

    private long[] varGet(Instance instance, long... args) {
        String key = key(instance, args[0], args[1]);
        if (key == null) {
            return i32(GuestAbi.BAD_ARGUMENT);
        }
        byte[] value = variables.get(key);
        if (value == null) {
            return i32(GuestAbi.NOT_FOUND);
        }
        int ptr = (int) args[2];
        int capacity = (int) args[3];
        // A too-small buffer gets the needed length and no bytes, so the guest can retry with more room.
        if (capacity >= value.length) {
            checkRange(instance.memory(), ptr, value.length);
            instance.memory().write(ptr, value, 0, value.length);
        }
        return i32(value.length);
    }

    private long[] varSet(Instance instance, long... args) {
        String key = key(instance, args[0], args[1]);
        int length = (int) args[3];
        if (key == null || length > GuestAbi.MAX_VARIABLE_VALUE_BYTES) {
            return i32(key == null ? GuestAbi.BAD_ARGUMENT : GuestAbi.LIMIT_EXCEEDED);
        }
        byte[] value = length < 0 ? null : read(instance.memory(), (int) args[2], length);
        return i32(variables.set(key, value) ? GuestAbi.OK : GuestAbi.LIMIT_EXCEEDED);
    }

    private long[] counterAdd(Instance instance, long... args) {
        String key = key(instance, args[0], args[1]);
        if (key == null || args[3] < 0) {
            return new long[] {Long.MIN_VALUE};
        }
        return new long[] {variables.add(key, args[2], args[3])};
    }

    private long[] log(Instance instance, long... args) {
        int length = (int) Math.min(Math.max(args[2], 0), GuestAbi.MAX_LOG_BYTES);
        String message = new String(read(instance.memory(), (int) args[1], length), StandardCharsets.UTF_8);
        switch ((int) args[0]) {
            case 0 -> GUEST_LOG.debug("[{}] {}", moduleName, message);
            case 1 -> GUEST_LOG.info("[{}] {}", moduleName, message);
            case 2 -> GUEST_LOG.warn("[{}] {}", moduleName, message);
            default -> GUEST_LOG.error("[{}] {}", moduleName, message);
        }
        return NONE;
    }

    /** A variable key, or null when its length is out of bounds. */
    private static String key(Instance instance, long ptr, long length) {
        if (length <= 0 || length > GuestAbi.MAX_VARIABLE_KEY_BYTES) {
            return null;
        }
        return new String(read(instance.memory(), (int) ptr, (int) length), StandardCharsets.UTF_8);
    }

    private static byte[] read(Memory memory, int ptr, int length) {
        checkRange(memory, ptr, length);
        return memory.readBytes(ptr, length);
    }

    private static void checkRange(Memory memory, int ptr, int length) {
        long end = (ptr & 0xFFFFFFFFL) + length;
        if (ptr < 0 || length < 0 || end > (long) memory.pages() * Memory.PAGE_SIZE) {
            throw new TrapException("host call with an out-of-bounds pointer: " + (ptr & 0xFFFFFFFFL) + "+" + length);
        }
    }

    private static long[] i32(int value) {
        return new long[] {value};
    }
}
