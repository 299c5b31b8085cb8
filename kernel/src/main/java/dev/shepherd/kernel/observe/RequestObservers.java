package dev.shepherd.kernel.observe;

import dev.shepherd.spi.TokenUsage;
import dev.shepherd.spi.backend.UpstreamFailure;
import dev.shepherd.spi.worker.Worker;
import java.util.List;
import java.util.Map;

/** Several observers seen as one; with none, requests are observed by {@link ObservedRequest#NONE} at no cost. */
public final class RequestObservers implements RequestObserver {

    private final RequestObserver[] observers;

    public RequestObservers(List<RequestObserver> observers) {
        this.observers = observers.toArray(RequestObserver[]::new);
    }

    @Override
    public ObservedRequest begin(RequestStart start) {
        if (observers.length == 0) {
            return ObservedRequest.NONE;
        }
        if (observers.length == 1) {
            return observers[0].begin(start);
        }
        ObservedRequest[] each = new ObservedRequest[observers.length];
        for (int i = 0; i < each.length; i++) {
            each[i] = observers[i].begin(start);
        }
        return new Fanout(each);
    }

    /** Calls every observation in order. */
    private record Fanout(ObservedRequest[] each) implements ObservedRequest {
        @Override
        public void enter() {
            for (ObservedRequest o : each) {
                o.enter();
            }
        }

        @Override
        public void exit() {
            for (int i = each.length - 1; i >= 0; i--) {
                each[i].exit();
            }
        }

        @Override
        public void admitted(String tenant, String priorityClass, long queuedNanos) {
            for (ObservedRequest o : each) {
                o.admitted(tenant, priorityClass, queuedNanos);
            }
        }

        @Override
        public void parsed(String model, String kind, boolean stream) {
            for (ObservedRequest o : each) {
                o.parsed(model, kind, stream);
            }
        }

        @Override
        public void attemptStarted(Worker worker, String policy, int attempt, Map<String, List<String>> outgoingHeaders) {
            for (ObservedRequest o : each) {
                o.attemptStarted(worker, policy, attempt, outgoingHeaders);
            }
        }

        @Override
        public void attemptFinished(Worker worker, int attempt, int status, UpstreamFailure.Kind failure) {
            for (ObservedRequest o : each) {
                o.attemptFinished(worker, attempt, status, failure);
            }
        }

        @Override
        public void retryScheduled(Worker failed, int attempt, long backoffMillis) {
            for (ObservedRequest o : each) {
                o.retryScheduled(failed, attempt, backoffMillis);
            }
        }

        @Override
        public void streamResumed(Worker failed, int tokens) {
            for (ObservedRequest o : each) {
                o.streamResumed(failed, tokens);
            }
        }

        @Override
        public void responseStarted(int status, boolean streaming) {
            for (ObservedRequest o : each) {
                o.responseStarted(status, streaming);
            }
        }

        @Override
        public void generated(int streamedTokens, long firstTokenNanos, long lastTokenNanos, TokenUsage usage) {
            for (ObservedRequest o : each) {
                o.generated(streamedTokens, firstTokenNanos, lastTokenNanos, usage);
            }
        }

        @Override
        public void completed(int status, String errorCode) {
            for (ObservedRequest o : each) {
                o.completed(status, errorCode);
            }
        }
    }
}
