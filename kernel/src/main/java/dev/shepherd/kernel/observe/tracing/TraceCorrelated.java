package dev.shepherd.kernel.observe.tracing;

/** A request observation that belongs to a trace: its ids, for log lines about the request. */
public interface TraceCorrelated {

    /** The trace id (32 hex digits). */
    String traceId();

    /** The id of the request's server span (16 hex digits). */
    String spanId();

    /** Whether the trace is sampled (recorded and exported). */
    boolean sampled();
}
