package io.github.apigatewayotel.logs.internal.red;

/**
 * What one parsed access-log line contributes to the request metrics. A value the format does not
 * carry is negative. Valid only while its line is being emitted: {@code trace} reads the line's
 * values, which the next line on the thread replaces.
 *
 * @param requestEpochMillis when the request was made ({@code $context.requestTimeEpoch}, else
 *     {@code $context.requestTime}, else the log event's time): the minute it counts in
 * @param trace the line's X-Ray trace id and request id, read only when an exemplar is made (the
 *     first traced request of a bucket and minute); null when the line has no trace id
 *     <p>This class is internal and is hence not for public use. Its APIs are unstable and can
 *     change at any time.
 */
public record RequestLine(
    StageKey stage,
    RouteKey route,
    long requestEpochMillis,
    double durationSeconds,
    double integrationSeconds,
    double bodyBytes,
    Trace trace) {

  /** The trace ids of a line, read from it on demand. */
  public interface Trace {
    String xrayTraceId();

    /** Null when the format has no {@code $context.requestId}. */
    String requestId();
  }
}
