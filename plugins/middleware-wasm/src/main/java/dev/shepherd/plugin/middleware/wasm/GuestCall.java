package dev.shepherd.plugin.middleware.wasm;

/**
 * The per-call exchange between host and one guest instance: the message the guest reads and the
 * action it writes. Reset before every call; never shared between instances.
 */
final class GuestCall {

    private final int maxOutputBytes;
    private byte[] input = new byte[0];
    private byte[] output;
    private boolean outputRefused;

    GuestCall(int maxOutputBytes) {
        this.maxOutputBytes = maxOutputBytes;
    }

    void begin(byte[] message) {
        input = message;
        output = null;
        outputRefused = false;
    }

    byte[] input() {
        return input;
    }

    /** The guest's action, or null when it wrote none (meaning: continue). */
    byte[] output() {
        return output;
    }

    /** True when the guest tried to write more than the cap during this call. */
    boolean outputRefused() {
        return outputRefused;
    }

    int maxOutputBytes() {
        return maxOutputBytes;
    }

    /** Records a write over the cap without holding its bytes. */
    void refuseOutput() {
        outputRefused = true;
    }

    /** Replaces the output; false (and remembered) when it is over the cap. */
    boolean setOutput(byte[] bytes) {
        if (bytes.length > maxOutputBytes) {
            outputRefused = true;
            return false;
        }
        output = bytes;
        return true;
    }
}
