package dev.shepherd.spi.backend;

import dev.shepherd.spi.Headers;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What to send to a worker.
 *
 * @param method HTTP method
 * @param path path on the worker, e.g. {@code /v1/chat/completions}
 * @param headers headers to forward (already filtered to SMG's allow-list by the kernel)
 * @param body the body bytes
 * @param stream whether a server-sent-event answer is expected
 * @param timeout the whole call's budget; the backend fails the call with
 *                {@link UpstreamFailure.Kind#TIMEOUT} when it runs out
 * @param ioExecutor the thread the sink must be called on (the client connection's I/O thread);
 *                   a backend that shares the server's I/O threads connects on it directly
 */
public record UpstreamRequest(String method, String path, Headers headers, byte[] body, boolean stream,
                              Duration timeout, Executor ioExecutor) {
}
