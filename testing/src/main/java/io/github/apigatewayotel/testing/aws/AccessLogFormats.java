package io.github.apigatewayotel.testing.aws;

/**
 * Access-log formats as users type them into API Gateway's "Log format" box: the seed's JSON and
 * AWS's documented examples. Literal here because {@code testing} must not depend on the bridge.
 */
public final class AccessLogFormats {

  /** The seed's (Datadog's) JSON, with unquoted numbers. */
  public static final String SEED_JSON =
      "{\"apiId\": \"$context.apiId\", \"stage\": \"$context.stage\","
          + " \"requestId\":\"$context.requestId\", \"ip\":\"$context.identity.sourceIp\","
          + " \"caller\":\"$context.identity.caller\", \"user\":\"$context.identity.user\","
          + " \"requestTime\":$context.requestTimeEpoch, \"httpMethod\":\"$context.httpMethod\","
          + " \"resourcePath\":\"$context.resourcePath\", \"status\":$context.status,"
          + " \"protocol\":\"$context.protocol\", \"responseLength\":$context.responseLength}";

  /** AWS's Common Log Format example for REST APIs. */
  public static final String CLF =
      "$context.identity.sourceIp $context.identity.caller $context.identity.user"
          + " [$context.requestTime] \"$context.httpMethod $context.resourcePath $context.protocol\""
          + " $context.status $context.responseLength $context.requestId";

  /** AWS's CSV example. */
  public static final String CSV =
      "$context.identity.sourceIp,$context.identity.caller,$context.identity.user,"
          + "$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,"
          + "$context.status,$context.responseLength,$context.requestId";

  /** AWS's XML example. */
  public static final String XML =
      "<request id=\"$context.requestId\"> <ip>$context.identity.sourceIp</ip>"
          + " <caller>$context.identity.caller</caller> <user>$context.identity.user</user>"
          + " <requestTime>$context.requestTime</requestTime>"
          + " <httpMethod>$context.httpMethod</httpMethod>"
          + " <resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status>"
          + " <protocol>$context.protocol</protocol>"
          + " <responseLength>$context.responseLength</responseLength> </request>";

  /** AWS's JSON example for HTTP APIs (route keys, no resource path). */
  public static final String HTTP_JSON =
      "{ \"requestId\":\"$context.requestId\", \"ip\": \"$context.identity.sourceIp\","
          + " \"requestTime\":\"$context.requestTime\", \"httpMethod\":\"$context.httpMethod\","
          + " \"routeKey\":\"$context.routeKey\", \"status\":\"$context.status\","
          + " \"protocol\":\"$context.protocol\", \"responseLength\":\"$context.responseLength\" }";

  /** AWS's JSON example for WebSocket APIs (event types and connection ids). */
  public static final String WEBSOCKET_JSON =
      "{ \"requestId\":\"$context.requestId\", \"ip\": \"$context.identity.sourceIp\","
          + " \"caller\":\"$context.identity.caller\", \"user\":\"$context.identity.user\","
          + " \"requestTime\":\"$context.requestTime\", \"eventType\":\"$context.eventType\","
          + " \"routeKey\":\"$context.routeKey\", \"status\":\"$context.status\","
          + " \"connectionId\":\"$context.connectionId\" }";

  private AccessLogFormats() {}
}
