package io.github.apigatewayotel.logs.internal.red;

/**
 * What one parsed access-log line contributes to the request metrics. A value the format does not
 * carry is negative; {@code xrayTraceId} and {@code requestId} are null when absent.
 *
 * @param requestEpochMillis when the request was made ({@code $context.requestTimeEpoch}, else
 *     {@code $context.requestTime}, else the log event's time): the minute it counts in
 */
public record RequestLine(
    StageKey stage,
    RouteKey route,
    long requestEpochMillis,
    double durationSeconds,
    double integrationSeconds,
    double bodyBytes,
    String xrayTraceId,
    String requestId) {}
