package dev.shepherd.plugin.middleware.wasm;

import java.util.Locale;

/** What a request gets when its guest fails (trap, deadline, limit, refusal, bad action). */
enum FailureMode {
    /** Go on as if the module were not there: availability over enforcement. */
    FAIL_OPEN,
    /** Answer 503: enforcement (auth, quotas) over availability. */
    FAIL_CLOSED;

    static FailureMode parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "fail_open", "open" -> FAIL_OPEN;
            case "fail_closed", "closed" -> FAIL_CLOSED;
            default -> throw new IllegalArgumentException("unknown failure_mode '" + value + "' (expected fail_open or fail_closed)");
        };
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
