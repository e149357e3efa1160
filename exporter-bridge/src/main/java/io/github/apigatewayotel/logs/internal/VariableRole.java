package io.github.apigatewayotel.logs.internal;

import java.util.Map;
import java.util.Set;

/**
 * What the mapper does with a {@code $context} variable's value (DESIGN.md "Access logs").
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public enum VariableRole {
  CLIENT_ADDRESS,
  HTTP_METHOD,
  RESOURCE_PATH,
  ROUTE_KEY,
  URL_PATH,
  STATUS,
  PROTOCOL,
  RESPONSE_LENGTH,
  REQUEST_ID,
  AWS_EXTENDED_REQUEST_ID,
  APIGATEWAY_EXTENDED_REQUEST_ID,
  USER_AGENT,
  DOMAIN_NAME,
  API_ID,
  STAGE,
  ACCOUNT_ID,
  REQUEST_TIME_EPOCH,
  REQUEST_TIME,
  XRAY_TRACE_ID,
  /** {@code aws.apigateway.context.<path>}, a long (a variable AWS documents as a number). */
  GENERIC_NUMBER,
  /**
   * {@code aws.apigateway.context.<path>}, typed by its text (written unquoted in a JSON format).
   */
  GENERIC_TYPED_BY_TEXT,
  /** {@code aws.apigateway.context.<path>}, a string. */
  GENERIC_STRING;

  private static final Map<String, VariableRole> BY_VARIABLE =
      Map.ofEntries(
          Map.entry("context.identity.sourceIp", CLIENT_ADDRESS),
          Map.entry("context.httpMethod", HTTP_METHOD),
          Map.entry("context.resourcePath", RESOURCE_PATH),
          Map.entry("context.routeKey", ROUTE_KEY),
          Map.entry("context.path", URL_PATH),
          Map.entry("context.status", STATUS),
          Map.entry("context.protocol", PROTOCOL),
          Map.entry("context.responseLength", RESPONSE_LENGTH),
          Map.entry("context.requestId", REQUEST_ID),
          Map.entry("context.awsEndpointRequestId2", AWS_EXTENDED_REQUEST_ID),
          Map.entry("context.extendedRequestId", APIGATEWAY_EXTENDED_REQUEST_ID),
          Map.entry("context.identity.userAgent", USER_AGENT),
          Map.entry("context.domainName", DOMAIN_NAME),
          Map.entry("context.apiId", API_ID),
          Map.entry("context.stage", STAGE),
          Map.entry("context.accountId", ACCOUNT_ID),
          Map.entry("context.requestTimeEpoch", REQUEST_TIME_EPOCH),
          Map.entry("context.requestTime", REQUEST_TIME),
          Map.entry("context.xrayTraceId", XRAY_TRACE_ID));

  /**
   * Variables AWS documents as numbers (latencies in ms, HTTP statuses, sizes, epoch times), so
   * their attribute type does not depend on whether the user quoted them.
   */
  private static final Set<String> NUMERIC_VARIABLES =
      Set.of(
          "context.responseLatency",
          "context.integrationLatency",
          "context.integrationStatus",
          "context.integration.latency",
          "context.integration.status",
          "context.integration.integrationStatus",
          "context.authorizer.latency",
          "context.authorizer.status",
          "context.authorizer.integrationLatency",
          "context.authorizer.integrationStatus",
          "context.authorize.latency",
          "context.authorize.status",
          "context.authenticate.latency",
          "context.authenticate.status",
          "context.waf.latency",
          "context.waf.status",
          "context.dataProcessed",
          "context.connectedAt",
          // WebSocket close code (1000, 1001...); the Lambda event models it as a number.
          "context.disconnectStatusCode");

  /** The role of {@code variable} (named without {@code $}); unquoted matters for others. */
  public static VariableRole of(String variable, boolean writtenUnquoted) {
    VariableRole role = BY_VARIABLE.get(variable);
    if (role != null) {
      return role;
    }
    if (NUMERIC_VARIABLES.contains(variable)) {
      return GENERIC_NUMBER;
    }
    return writtenUnquoted ? GENERIC_TYPED_BY_TEXT : GENERIC_STRING;
  }
}
