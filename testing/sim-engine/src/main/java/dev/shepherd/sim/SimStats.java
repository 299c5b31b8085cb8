package dev.shepherd.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an engine has received: request counts per route, the last request on every route and the
 * most recent inference requests with their headers and bodies. Tests use it to see which worker got
 * the traffic and what the gateway forwarded (traceparent, x-request-id, rewritten bodies).
 *
 * <p>Routes are request paths ({@code /v1/chat/completions}, {@code /health}, ...); unknown paths count
 * under {@value #OTHER_ROUTE}. Only inference requests (chat, completions, generate, embeddings) enter
 * the recent list, so health probes cannot push them out.
 */
public final class SimStats {

  /** Route key of requests to paths the engine does not serve. */
  public static final String OTHER_ROUTE = "other";

  private final ConcurrentHashMap<String, LongAdder> requestsByRoute = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RecordedRequest> lastByRoute = new ConcurrentHashMap<>();
  private final AtomicReferenceArray<RecordedRequest> recent;
  private final AtomicLong inferenceRequests = new AtomicLong();
  private volatile RecordedRequest lastInference;

  SimStats(int recentCapacity) {
    this.recent = new AtomicReferenceArray<>(recentCapacity);
  }

  void record(String route, boolean inference, RecordedRequest request) {
    requestsByRoute.computeIfAbsent(route, ignored -> new LongAdder()).increment();
    lastByRoute.put(route, request);
    if (inference) {
      long sequence = inferenceRequests.getAndIncrement();
      if (recent.length() > 0) {
        recent.set((int) (sequence % recent.length()), request);
      }
      lastInference = request;
    }
  }

  /** Requests received on a route (a path such as {@code /v1/chat/completions}). */
  public long requests(String route) {
    LongAdder count = requestsByRoute.get(route);
    return count == null ? 0 : count.sum();
  }

  /** Request counts of every route that received traffic, sorted by route. */
  public Map<String, Long> requestsByRoute() {
    Map<String, Long> counts = new TreeMap<>();
    requestsByRoute.forEach((route, count) -> counts.put(route, count.sum()));
    return counts;
  }

  /** Inference requests received (chat, completions, generate, embeddings), faulted ones included. */
  public long inferenceRequests() {
    return inferenceRequests.get();
  }

  /** The most recent inference request. */
  public Optional<RecordedRequest> lastRequest() {
    return Optional.ofNullable(lastInference);
  }

  /** The most recent request on a route, inference or not. */
  public Optional<RecordedRequest> lastRequest(String route) {
    return Optional.ofNullable(lastByRoute.get(route));
  }

  /** The last few inference requests, oldest first (how many: {@link SimEngineConfig#recentRequests()}). */
  public List<RecordedRequest> recentRequests() {
    int capacity = recent.length();
    long end = inferenceRequests.get();
    long start = Math.max(0, end - capacity);
    List<RecordedRequest> requests = new ArrayList<>((int) (end - start));
    for (long sequence = start; sequence < end; sequence++) {
      RecordedRequest request = recent.get((int) (sequence % capacity));
      if (request != null) {
        requests.add(request);
      }
    }
    return requests;
  }

  /** Forgets everything received so far. */
  public void reset() {
    requestsByRoute.clear();
    lastByRoute.clear();
    for (int i = 0; i < recent.length(); i++) {
      recent.set(i, null);
    }
    inferenceRequests.set(0);
    lastInference = null;
  }
}
