package io.github.apigatewayotel.testing.aws;

/**
 * One request a simulated stage served: everything an access-log format or the execution log may
 * print. {@code httpMethod} and {@code resourcePath} are null for WebSocket messages, which have a
 * route key only; {@code integrationLatencyMillis} is the backend's share of {@code latencyMillis}.
 *
 * @param xrayTraceId the X-Ray trace id ({@code 1-<8 hex>-<24 hex>}), as with tracing on
 * @param outcome how it ended, as {@link RouteMinute#outcome} decided: what CloudWatch counted
 */
public record StageRequest(
    SimulatedAccount.Api api,
    String stage,
    String routeKey,
    String httpMethod,
    String resourcePath,
    int status,
    long latencyMillis,
    long integrationLatencyMillis,
    long responseLength,
    String requestId,
    String extendedRequestId,
    String sourceIp,
    long epochMillis,
    String protocol,
    String xrayTraceId,
    RouteMinute.Outcome outcome) {}
