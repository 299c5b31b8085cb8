package dev.shepherd.plugin.middleware.wasm;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import java.util.HashMap;
import java.util.Map;

/**
 * One instantiated guest with its own memory and globals. Not thread-safe: the pool hands it to one
 * call at a time. After a trap or an interrupted call it is thrown away, never reused.
 */
final class GuestInstance {

    private final Instance instance;
    private final GuestCall call;
    private final Map<String, ExportFunction> functions = new HashMap<>();

    GuestInstance(Instance instance, GuestCall call) {
        this.instance = instance;
        this.call = call;
    }

    /**
     * Calls an exported function with {@code message} as its input.
     *
     * @return the guest's status (0 when the function returns nothing)
     */
    int invoke(String export, byte[] message) {
        call.begin(message == null ? new byte[0] : message);
        long[] results = functions.computeIfAbsent(export, instance::export).apply();
        return results == null || results.length == 0 ? 0 : (int) results[0];
    }

    GuestCall call() {
        return call;
    }

    int memoryPages() {
        return instance.memory().pages();
    }
}
