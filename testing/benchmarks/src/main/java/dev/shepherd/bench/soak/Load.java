package dev.shepherd.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Steady closed-loop load: {@code clients} clients, each sending its next chat completion (streamed
 * or not, at random) as soon as the previous one is answered, every one bounded by the client timeout.
 */
final class Load {

    static final String MODEL = "sim-model";
    /** One successful answer in this many is kept for the text check (every resumed stream is kept). */
    private static final int SAMPLE_EVERY = 20;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final SoakSettings settings;

    Load(String gatewayUrl, SoakSettings settings) {
        this.url = gatewayUrl + "/v1/chat/completions";
        this.settings = settings;
    }

    /** Runs the load for {@code duration}; returns when every client has its last answer. */
    void run(PhaseStats stats, Duration duration, long seed) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < settings.clients(); c++) {
                int client = c;
                clients.submit(() -> client(stats, client, end, new SplittableRandom(seed * 1_000_003L + client)));
            }
        }
        stats.wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private void client(PhaseStats stats, int client, long end, SplittableRandom random) {
        for (int n = 0; System.nanoTime() < end; n++) {
            boolean stream = random.nextDouble() < settings.streamShare();
            int maxTokens = random.nextInt(settings.minTokens(), settings.maxTokens() + 1);
            String prompt = stats.name + " client " + client + " request " + n + ": tell me about sheep";
            stats.sent.increment();
            long t0 = System.nanoTime();
            Outcome outcome = send(chatBody(prompt, maxTokens, stream), stream, settings.clientTimeout());
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
            stats.record(outcome, micros, prompt, maxTokens, stream, n % SAMPLE_EVERY == 0);
        }
    }

    static String chatBody(String prompt, int maxTokens, boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":" + Json.quote(prompt) + "}]}";
    }

    Outcome send(String body, boolean stream, Duration timeout) {
        return send(http, url, body, stream, timeout);
    }

    static Outcome send(HttpClient http, String url, String body, boolean stream, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Outcome.of(response.statusCode(), response.body(), stream);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return Outcome.hung("no complete answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return Outcome.hung(String.valueOf(cause));
            }
            return Outcome.lost(-1, "connection failed: " + (cause instanceof IOException ? cause.toString() : String.valueOf(cause)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            return Outcome.hung("interrupted");
        }
    }
}
