package dev.shepherd.kernel.routing;

import io.undertow.util.AttachmentKey;

/** Marks the proxy leaves on an exchange for whoever reports on it afterwards. */
public final class ProxiedRequestMarks {

    /** Set when the client disconnected before its answer was complete (reported as 499). */
    public static final AttachmentKey<Boolean> CLIENT_GONE = AttachmentKey.create(Boolean.class);

    private ProxiedRequestMarks() {
    }
}
