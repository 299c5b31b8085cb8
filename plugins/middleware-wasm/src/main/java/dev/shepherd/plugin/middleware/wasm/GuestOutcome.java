package dev.shepherd.plugin.middleware.wasm;

import java.util.Locale;

/** How one guest call ended, before its action is interpreted. */
sealed interface GuestOutcome {

    /** The guest returned 0; {@code action} is what it wrote, null for none (continue). */
    record Completed(byte[] action) implements GuestOutcome {
    }

    /** The guest could not decide; the module's failure mode answers instead. */
    record Failed(Kind kind, String detail) implements GuestOutcome {
    }

    /** Why a call failed; the metric label. */
    enum Kind {
        /** The per-call deadline passed. */
        TIMEOUT,
        /** The guest trapped (unreachable, bad memory access, stack overflow, ...). */
        TRAP,
        /** The guest trapped at its memory cap. */
        MEMORY,
        /** The guest wrote more than the output cap. */
        OUTPUT_TOO_LARGE,
        /** The body was larger than a guest may be handed. */
        BODY_TOO_LARGE,
        /** The guest returned a non-zero status. */
        GUEST_ERROR,
        /** The guest's action was not valid ABI v1 JSON. */
        BAD_ACTION,
        /** The module is cooling down after a crash loop. */
        QUARANTINED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
