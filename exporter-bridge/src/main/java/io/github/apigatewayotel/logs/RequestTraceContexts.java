package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.XrayTraceContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trace context of recent requests by request id, so that execution-log records of a request
 * carry the trace its access-log line names ({@code $context.xrayTraceId}): the access-log bridge
 * writes, the execution-log bridge reads. Bounded: the oldest requests are forgotten first (an
 * execution event read long after its access-log line gets no trace context). Thread-safe.
 */
public final class RequestTraceContexts {

  /**
   * Requests remembered: at about 170 bytes each, some 5.5 MB; at 100 requests per second, the last
   * five minutes of traffic, more than the usual lag between a request's two logs.
   */
  public static final int DEFAULT_CAPACITY = 32_768;

  private final Map<String, Ids> byRequestId;

  /** The trace and span ids, held as numbers (a third of the memory of a {@link SpanContext}). */
  private record Ids(long traceHigh, long traceLow, long spanId, boolean sampled) {}

  private RequestTraceContexts(int capacity) {
    this.byRequestId =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Ids> eldest) {
            return size() > capacity;
          }
        };
  }

  public static RequestTraceContexts create() {
    return create(DEFAULT_CAPACITY);
  }

  public static RequestTraceContexts create(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    return new RequestTraceContexts(capacity);
  }

  /** Remembers the trace of {@code requestId} from its X-Ray trace id; ignores a malformed one. */
  public void remember(String requestId, String xrayTraceId) {
    SpanContext context = XrayTraceContext.fromXrayTraceId(xrayTraceId, requestId);
    if (context == null) {
      return;
    }
    String traceId = context.getTraceId();
    Ids ids =
        new Ids(
            Long.parseUnsignedLong(traceId.substring(0, 16), 16),
            Long.parseUnsignedLong(traceId.substring(16), 16),
            Long.parseUnsignedLong(context.getSpanId(), 16),
            context.isSampled());
    synchronized (byRequestId) {
      byRequestId.put(requestId, ids);
    }
  }

  /** The trace of {@code requestId}, or null when its access-log line was not seen (recently). */
  public SpanContext get(String requestId) {
    Ids ids;
    synchronized (byRequestId) {
      ids = byRequestId.get(requestId);
    }
    if (ids == null) {
      return null;
    }
    return SpanContext.create(
        TraceId.fromLongs(ids.traceHigh, ids.traceLow),
        SpanId.fromLong(ids.spanId),
        ids.sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        TraceState.getDefault());
  }

  /** Requests remembered now. */
  public int size() {
    synchronized (byRequestId) {
      return byRequestId.size();
    }
  }
}
