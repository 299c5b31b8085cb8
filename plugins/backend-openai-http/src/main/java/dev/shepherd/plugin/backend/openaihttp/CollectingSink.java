package dev.shepherd.plugin.backend.openaihttp;

import dev.shepherd.spi.Headers;
import dev.shepherd.spi.backend.BackendCall;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamFailure;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Collects a small answer (a probe's, a model list) into a {@link CollectedResponse}. A body larger
 * than the limit fails the future and cancels the call rather than filling the heap.
 */
final class CollectingSink implements ResponseSink {

    /** Far above any model list or health answer. */
    static final int DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

    private final CompletableFuture<CollectedResponse> result = new CompletableFuture<>();
    private final int bodyLimit;
    private final boolean keepBody;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile BackendCall call;
    private int status;

    private CollectingSink(boolean keepBody, int bodyLimit) {
        this.keepBody = keepBody;
        this.bodyLimit = bodyLimit;
    }

    static CollectingSink keepingBody() {
        return new CollectingSink(true, DEFAULT_BODY_LIMIT);
    }

    /** For probes: only the status matters, the body is read and dropped. */
    static CollectingSink discardingBody() {
        return new CollectingSink(false, 0);
    }

    CompletableFuture<CollectedResponse> result() {
        return result;
    }

    /** Lets the sink cancel the call when the body grows past the limit. */
    void attach(BackendCall call) {
        this.call = call;
    }

    @Override
    public void onHead(int status, Headers headers) {
        this.status = status;
    }

    @Override
    public void onData(ByteBuffer data) {
        if (!keepBody || result.isDone()) {
            return;
        }
        if (body.size() + data.remaining() > bodyLimit) {
            result.completeExceptionally(new UpstreamCallException(new UpstreamFailure(
                    UpstreamFailure.Kind.PROTOCOL, "answer larger than " + bodyLimit + " bytes")));
            if (call != null) {
                call.cancel();
            }
            return;
        }
        if (data.hasArray()) {
            body.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            data.position(data.limit());
        } else {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            body.write(copy, 0, copy.length);
        }
    }

    @Override
    public void onComplete() {
        result.complete(new CollectedResponse(status, body.toByteArray()));
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        result.completeExceptionally(new UpstreamCallException(failure));
    }
}
