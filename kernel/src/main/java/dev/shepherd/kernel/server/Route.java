package dev.shepherd.kernel.server;

import dev.shepherd.spi.api.Api;
import dev.shepherd.spi.api.Endpoint;

/**
 * One served route: an endpoint and the API that declared it (null for the kernel's control plane).
 */
record Route(Api api, Endpoint endpoint) {

    boolean admin() {
        return endpoint instanceof Endpoint.Local local && local.admin();
    }

    /** Whether a body is read before handling; GET and DELETE routes take none. */
    boolean readsBody() {
        return !endpoint.method().equals("GET") && !endpoint.method().equals("DELETE");
    }
}
