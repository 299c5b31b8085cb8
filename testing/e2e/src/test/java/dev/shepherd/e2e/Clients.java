package dev.shepherd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Clients for the fault tests: every call is bounded by a client timeout and ends in a
 * {@link ClientOutcome}, so a test can count what every client saw — nothing is lost to an exception
 * and nothing can hang the test.
 */
final class Clients {

    /** Longest a test client waits for a complete answer; far above any timeout the gateways under test use. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Clients() {
    }

    /** An OpenAI chat request body. */
    static String chat(String model, String prompt, int maxTokens, boolean stream) {
        ObjectNode body = Http.JSON.createObjectNode().put("model", model).put("max_tokens", maxTokens);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        if (stream) {
            body.put("stream", true);
        }
        return body.toString();
    }

    /** Posts a chat to {@code baseUrl}'s {@code /v1/chat/completions} and judges the answer. */
    static ClientOutcome chat(String baseUrl, String model, String prompt, int maxTokens, boolean stream,
                              String... headers) {
        return post(baseUrl + "/v1/chat/completions", chat(model, prompt, maxTokens, stream), stream, CLIENT_TIMEOUT, headers);
    }

    /** Posts {@code body} and reads the whole answer, within {@code timeout}. */
    static ClientOutcome post(String url, String body, boolean stream, Duration timeout, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        CompletableFuture<HttpResponse<String>> answer = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        try {
            return ClientOutcome.of(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS), stream);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return ClientOutcome.hung("no complete answer within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause instanceof HttpTimeoutException
                    ? ClientOutcome.hung(String.valueOf(cause))
                    : ClientOutcome.lost("connection failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code call} on its own virtual thread; the outcome is bounded by the call's own timeout. */
    static CompletableFuture<ClientOutcome> async(java.util.function.Supplier<ClientOutcome> call) {
        CompletableFuture<ClientOutcome> outcome = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(call.get());
            } catch (RuntimeException | Error e) {
                outcome.completeExceptionally(e);
            }
        });
        return outcome;
    }

    /** Starts {@code n} calls at once (released together) and returns every outcome, in call order. */
    static List<ClientOutcome> concurrently(int n, IntFunction<ClientOutcome> call) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<ClientOutcome>> calls = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int index = i;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    awaitLatch(start);
                    return call.apply(index);
                }, threads));
            }
            start.countDown();
        }
        return calls.stream().map(Clients::outcome).toList();
    }

    /** The outcome of a call started with {@link #async}; its own client timeout bounds the wait. */
    static ClientOutcome outcome(CompletableFuture<ClientOutcome> call) {
        try {
            return call.get(CLIENT_TIMEOUT.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return ClientOutcome.hung("the client call itself did not return");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the client call failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every client got a complete answer or an explicit OpenAI-shaped error: none lost, none hung. */
    static void assertEveryClientAnswered(List<ClientOutcome> outcomes) {
        assertThat(outcomes).as("what every client saw").allSatisfy(o ->
                assertThat(o.kind()).as(o.toString()).isIn(ClientOutcome.Kind.OK, ClientOutcome.Kind.ERROR));
    }

    /** Every client got a complete answer. */
    static void assertAllSucceeded(List<ClientOutcome> outcomes) {
        assertThat(outcomes).as("what every client saw").allSatisfy(o ->
                assertThat(o.kind()).as(o.toString()).isEqualTo(ClientOutcome.Kind.OK));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
