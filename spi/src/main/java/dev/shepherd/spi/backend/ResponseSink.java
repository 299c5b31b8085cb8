package dev.shepherd.spi.backend;

import dev.shepherd.spi.Headers;
import java.nio.ByteBuffer;

/**
 * Receives a worker's answer, chunk by chunk. Calls are serial and arrive on the request's I/O
 * executor. Back-pressure: a sink that cannot take more calls {@link BackendCall#pause()} and later
 * {@link BackendCall#resume()}.
 */
public interface ResponseSink {

    /** The status line and headers. Called once, before any data. */
    void onHead(int status, Headers headers);

    /** A piece of the body. The buffer is only valid during this call: consume or copy it. */
    void onData(ByteBuffer data);

    /** The body ended normally. */
    void onComplete();

    /** The call failed; nothing more will be delivered. May come before or after {@link #onHead}. */
    void onFailure(UpstreamFailure failure);
}
