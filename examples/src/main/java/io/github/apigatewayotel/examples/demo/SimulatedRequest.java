package io.github.apigatewayotel.examples.demo;

/**
 * One request the demo's API Gateway "served": everything an access-log format may print. {@code
 * httpMethod} and {@code resourcePath} are {@code null} for WebSocket messages, which only have a
 * route key.
 */
record SimulatedRequest(
    String apiId,
    String stage,
    String routeKey,
    String httpMethod,
    String resourcePath,
    int status,
    long latencyMillis,
    long responseLength,
    String requestId,
    String sourceIp,
    long epochMillis,
    String protocol) {}
