package dev.shepherd.sim;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * The response side of one server-sent-event stream, written from the exchange's IO thread without
 * blocking: each batch of events is written and flushed before its callback runs, so a token reaches
 * the client when its decode step completes, not when a buffer fills. A slow reader parks the writer
 * on a write listener instead of a thread.
 */
final class SseStream {

  private final HttpServerExchange exchange;
  private StreamSinkChannel channel;
  private ByteBuffer pending;
  private Runnable onWritten;
  private Runnable onFailed;

  SseStream(HttpServerExchange exchange) {
    this.exchange = exchange;
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
  }

  /** Writes and flushes {@code data}, then runs {@code written}; runs {@code failed} if the client is gone. */
  void write(ByteBuffer data, Runnable written, Runnable failed) {
    if (channel == null) {
      channel = exchange.getResponseChannel();
    }
    pending = data;
    onWritten = written;
    onFailed = failed;
    writePending();
  }

  /** Ends the response normally (terminating chunk). */
  void end() {
    exchange.endExchange();
  }

  /** Drops the connection mid-response, as a crashed engine would. */
  void abort() {
    IoUtils.safeClose(exchange.getConnection());
  }

  private void writePending() {
    try {
      while (pending.hasRemaining()) {
        if (channel.write(pending) == 0) {
          awaitWritable();
          return;
        }
      }
      if (!channel.flush()) {
        awaitWritable();
        return;
      }
    } catch (IOException e) {
      Runnable failed = onFailed;
      clear();
      abort();
      failed.run();
      return;
    }
    Runnable written = onWritten;
    clear();
    written.run();
  }

  private void awaitWritable() {
    channel.getWriteSetter().set(ready -> {
      ready.suspendWrites();
      writePending();
    });
    channel.resumeWrites();
  }

  private void clear() {
    pending = null;
    onWritten = null;
    onFailed = null;
  }
}
