package dev.shepherd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The assembled server ({@code distributions/server/target/shepherd-server}) run as a separate
 * process through its own {@code bin/smg}, exactly as a user runs it. Its output goes to a log file
 * that failures can show.
 */
public final class GatewayProcess implements AutoCloseable {

    /** System property naming the assembled server's directory; set by the build. */
    public static final String SERVER_HOME_PROPERTY = "shepherd.server.home";

    private final Process process;
    private final int port;
    private final Path log;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Path serverHome() {
        String home = System.getProperty(SERVER_HOME_PROPERTY);
        if (home == null) {
            throw new IllegalStateException("-D" + SERVER_HOME_PROPERTY + " is not set: run through Maven");
        }
        return Path.of(home);
    }

    /** Runs {@code bin/smg} with {@code args} and returns when it exits; for start-up failures. */
    public static Exited run(Duration timeout, String... args) {
        try {
            Path log = Files.createTempFile("smg-", ".log");
            Process p = command(log, args).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("smg did not exit within " + timeout + ":\n" + Files.readString(log));
            }
            return new Exited(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a process that exited printed. */
    public record Exited(int code, String output) {
    }

    /**
     * Starts {@code smg launch --port <free port> <args>} and waits until {@code /liveness} answers.
     */
    public static GatewayProcess launch(Duration startTimeout, String... args) {
        int port = freePort();
        List<String> all = new ArrayList<>(List.of("launch", "--host", "127.0.0.1", "--port", Integer.toString(port)));
        all.addAll(List.of(args));
        if (!all.contains("--prometheus-port")) {
            // Gateways started side by side must not all claim the default metrics port.
            all.addAll(List.of("--prometheus-port", "0"));
        }
        try {
            Path log = Files.createTempFile("smg-", ".log");
            Process p = command(log, all.toArray(String[]::new)).start();
            GatewayProcess gateway = new GatewayProcess(p, port, log);
            gateway.awaitLive(startTimeout);
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessBuilder command(Path log, String... args) {
        List<String> command = new ArrayList<>();
        command.add(serverHome().resolve("bin/smg").toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    private void awaitLive(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("smg exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/liveness"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause();
        }
        close();
        throw new IllegalStateException("smg did not start within " + timeout + ":\n" + output());
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the gateway printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Sends SIGTERM (graceful drain) and waits for the exit code. */
    public int stop(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    /** Kills the process at once (SIGKILL): no drain, no goodbye to peers, as a crash would. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(10));
        }
    }

    /** A port free on loopback right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
