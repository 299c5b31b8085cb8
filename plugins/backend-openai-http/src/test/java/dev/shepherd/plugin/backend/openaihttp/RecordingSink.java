package dev.shepherd.plugin.backend.openaihttp;

import static org.awaitility.Awaitility.await;

import dev.shepherd.spi.Headers;
import dev.shepherd.spi.backend.ResponseSink;
import dev.shepherd.spi.backend.UpstreamFailure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** Records every sink call, its thread, and the body; lets a test react to each chunk as it comes. */
final class RecordingSink implements ResponseSink {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> chunks = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile Headers headers;
    private volatile UpstreamFailure failure;
    private volatile boolean completed;
    private final AtomicInteger nesting = new AtomicInteger();
    private final AtomicInteger maxNesting = new AtomicInteger();
    private volatile BiConsumer<Integer, String> chunkReaction = (index, chunk) -> { };

    /** Runs {@code reaction} inside each {@code onData}, with the chunk's index and text. */
    RecordingSink reactingToChunks(BiConsumer<Integer, String> reaction) {
        this.chunkReaction = reaction;
        return this;
    }

    @Override
    public void onHead(int status, Headers headers) {
        threads.add(Thread.currentThread());
        this.status = status;
        this.headers = headers;
        events.add("head " + status);
    }

    @Override
    public void onData(ByteBuffer data) {
        maxNesting.accumulateAndGet(nesting.incrementAndGet(), Math::max);
        try {
            threads.add(Thread.currentThread());
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            String chunk = new String(bytes, StandardCharsets.UTF_8);
            chunks.add(chunk);
            events.add("data");
            chunkReaction.accept(chunks.size() - 1, chunk);
        } finally {
            nesting.decrementAndGet();
        }
    }

    /** The most {@code onData} calls that were ever in progress at once: 1 when calls are serial. */
    int maxNesting() {
        return maxNesting.get();
    }

    @Override
    public void onComplete() {
        threads.add(Thread.currentThread());
        events.add("complete");
        completed = true;
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        threads.add(Thread.currentThread());
        events.add("failure " + failure.kind());
        this.failure = failure;
    }

    boolean isDone() {
        return completed || failure != null;
    }

    RecordingSink awaitDone() {
        await().atMost(PATIENCE).until(this::isDone);
        return this;
    }

    RecordingSink awaitCompleted() {
        awaitDone();
        if (failure != null) {
            throw new AssertionError("call failed instead of completing: " + failure);
        }
        return this;
    }

    UpstreamFailure awaitFailure() {
        awaitDone();
        if (failure == null) {
            throw new AssertionError("call completed instead of failing: " + events);
        }
        return failure;
    }

    int status() {
        return status;
    }

    Headers headers() {
        return headers;
    }

    String body() {
        return String.join("", chunks);
    }

    List<String> chunks() {
        return List.copyOf(chunks);
    }

    List<String> events() {
        return List.copyOf(events);
    }

    List<Thread> threads() {
        return Collections.unmodifiableList(new ArrayList<>(threads));
    }

    UpstreamFailure failure() {
        return failure;
    }
}
