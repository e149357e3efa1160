package io.github.apigatewayotel.logs.internal.red;

import io.github.apigatewayotel.logs.internal.CompiledTemplate;

/**
 * Where a compiled format keeps each value the request metrics read: a value slot per variable, -1
 * when the format does not have it. Found once per format, so a line costs direct slot reads.
 *
 * <p>Request duration is {@code $context.responseLatency} only: it is the whole time API Gateway
 * spent on the request, what CloudWatch's {@code Latency} measures. The integration latency ({@code
 * $context.integrationLatency}, or {@code $context.integration.latency}, the same value under its
 * newer name) is the backend's share of it and gets its own metric; standing in for the request
 * duration it would under-report it, so a format without {@code responseLatency} (WebSocket APIs
 * have none) records no request duration, and its requests are still counted.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class RequestLineSlots {

  final int status;
  final int httpMethod;
  final int resourcePath;
  final int routeKey;
  final int responseLatency;
  final int integrationLatency;
  final int responseLength;
  final int requestTimeEpoch;
  final int requestTime;
  final int xrayTraceId;
  final int requestId;
  final int apiId;
  final int stage;
  final int accountId;

  private RequestLineSlots(CompiledTemplate template) {
    status = slot(template, "context.status");
    httpMethod = slot(template, "context.httpMethod");
    resourcePath = slot(template, "context.resourcePath");
    routeKey = slot(template, "context.routeKey");
    responseLatency = slot(template, "context.responseLatency");
    int integration = slot(template, "context.integrationLatency");
    integrationLatency =
        integration >= 0 ? integration : slot(template, "context.integration.latency");
    responseLength = slot(template, "context.responseLength");
    requestTimeEpoch = slot(template, "context.requestTimeEpoch");
    requestTime = slot(template, "context.requestTime");
    xrayTraceId = slot(template, "context.xrayTraceId");
    requestId = slot(template, "context.requestId");
    apiId = slot(template, "context.apiId");
    stage = slot(template, "context.stage");
    accountId = slot(template, "context.accountId");
  }

  static RequestLineSlots of(CompiledTemplate template) {
    return new RequestLineSlots(template);
  }

  private static int slot(CompiledTemplate template, String variable) {
    return template.variables().indexOf(variable);
  }
}
