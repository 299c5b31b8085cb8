package dev.shepherd.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker that dies in the middle of every answer at a place the simulated engine never does (it
 * writes a JSON answer in one piece and cuts streams between events): it answers health checks and
 * {@code /v1/models}, and to every inference request sends a 200 head and part of the body, then
 * closes the connection.
 * <ul>
 *   <li>non-streaming: half of a chat completion, with a {@code Content-Length} for the whole, or —
 *       when the prompt contains "chunked" — with chunked transfer encoding, as some servers send JSON;</li>
 *   <li>streaming: a role chunk, the tokens {@code alpha beta gamma} as three complete events, then
 *       half of a fourth event.</li>
 * </ul>
 */
final class TruncatingWorker implements AutoCloseable {

    private static final String PARTIAL = "{\"id\":\"chatcmpl-cut\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"half of an ans";
    private static final String FULL_LENGTH = Integer.toString(PARTIAL.length() * 2);
    /** The text of the complete stream events sent before the cut. */
    static final String STREAMED_TEXT = "alpha beta gamma";
    private static final String EVENTS = event("{\"role\":\"assistant\",\"content\":\"\"}")
            + event("{\"content\":\"alpha\"}") + event("{\"content\":\" beta\"}") + event("{\"content\":\" gamma\"}");
    private static final String PARTIAL_EVENT = "data: {\"id\":\"chatcmpl-cut\",\"object\":\"chat.completion.chunk\",\"cho";

    private static String event(String delta) {
        return "data: {\"id\":\"chatcmpl-cut\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"sim-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    }

    private final ServerSocket server;
    private final String model;
    private final AtomicInteger inference = new AtomicInteger();
    private volatile boolean closed;

    TruncatingWorker(String model) {
        this.model = model;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Inference requests received (each was cut). */
    int inferenceRequests() {
        return inference.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String requestLine = head.substring(0, head.indexOf("\r\n"));
                String body = new String(in.readNBytes(contentLength(head)), StandardCharsets.UTF_8);
                if (requestLine.startsWith("GET /v1/models")) {
                    reply(out, "{\"object\":\"list\",\"data\":[{\"id\":\"" + model + "\",\"object\":\"model\","
                            + "\"created\":0,\"owned_by\":\"test\"}]}");
                } else if (requestLine.startsWith("GET ")) {
                    reply(out, "");
                } else {
                    inference.incrementAndGet();
                    String answer;
                    if (body.replace(" ", "").contains("\"stream\":true")) {
                        String events = EVENTS + PARTIAL_EVENT;
                        answer = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(events.length()) + "\r\n" + events;
                    } else if (body.contains("chunked")) {
                        answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(PARTIAL.length()) + "\r\n" + PARTIAL;
                    } else {
                        answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + FULL_LENGTH
                                + "\r\n\r\n" + PARTIAL;
                    }
                    out.write(answer.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    // The worker dies: the connection ends (after what was sent) without the rest of the answer.
                    socket.shutdownOutput();
                    return;
                }
            }
        } catch (IOException e) {
            // the gateway closed the connection
        }
    }

    private static void reply(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
