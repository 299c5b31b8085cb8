package dev.shepherd.plugin.backend.openaihttp;

/**
 * A whole answer held in memory: what probes and model discovery need, never the request path.
 *
 * @param status the HTTP status
 * @param body the body bytes (empty when the body was not kept)
 */
record CollectedResponse(int status, byte[] body) {

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
