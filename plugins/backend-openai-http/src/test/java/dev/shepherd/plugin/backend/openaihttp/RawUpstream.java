package dev.shepherd.plugin.backend.openaihttp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket-level stand-in on 127.0.0.1 for the cases a real HTTP server will not produce: it writes
 * whatever bytes it is given after reading one request, then only waits for the client to close,
 * which it notices at once (a blocking read returns end of stream) — how tests see that the client
 * really closed the connection.
 */
final class RawUpstream implements AutoCloseable {

    private final ServerSocket listener;
    private final byte[] answer;
    private final AtomicBoolean clientClosed = new AtomicBoolean();
    private final AtomicReference<Socket> connection = new AtomicReference<>();

    private RawUpstream(String answer) throws IOException {
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.answer = answer.getBytes(StandardCharsets.ISO_8859_1);
        Thread.ofVirtual().name("raw-upstream").start(this::serveOneConnection);
    }

    /** Answers the first request with {@code answer}, byte for byte, and keeps the connection open. */
    static RawUpstream answering(String answer) throws IOException {
        return new RawUpstream(answer);
    }

    /** The head of a streaming answer and its first event, as one chunk of a chunked body. */
    static String eventStreamStartingWith(String event) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(event.length()) + "\r\n" + event + "\r\n";
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    boolean clientClosed() {
        return clientClosed.get();
    }

    private void serveOneConnection() {
        try (Socket socket = listener.accept()) {
            connection.set(socket);
            InputStream in = socket.getInputStream();
            skipRequest(in);
            OutputStream out = socket.getOutputStream();
            out.write(answer);
            out.flush();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // nothing more is expected from the client but its close
            }
            clientClosed.set(true);
        } catch (IOException e) {
            // a reset is a close too
            clientClosed.set(true);
        }
    }

    private static void skipRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before sending a request");
            }
            head.append((char) b);
        }
        long contentLength = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                contentLength = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        in.skipNBytes(contentLength);
    }

    @Override
    public void close() throws IOException {
        Socket socket = connection.get();
        if (socket != null) {
            socket.close();
        }
        listener.close();
    }
}
