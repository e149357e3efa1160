package io.github.apigatewayotel.examples.demo;

/**
 * The seed's JSON access-log format (the plugin's default, {@code
 * otel.apigateway.logs.format=json}), numbers unquoted as API Gateway writes them; {@code -} where
 * the context has no value.
 */
final class SeedJsonLineFormat implements AccessLogLineFormat {

  static final SeedJsonLineFormat INSTANCE = new SeedJsonLineFormat();

  private static final String ABSENT = "-";

  private SeedJsonLineFormat() {}

  @Override
  public String render(SimulatedRequest request) {
    return "{ \"apiId\": \""
        + request.apiId()
        + "\", \"stage\": \""
        + request.stage()
        + "\", \"requestId\":\""
        + request.requestId()
        + "\", \"ip\":\""
        + request.sourceIp()
        + "\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":"
        + request.epochMillis()
        + ", \"httpMethod\":\""
        + orAbsent(request.httpMethod())
        + "\", \"resourcePath\":\""
        + orAbsent(request.resourcePath())
        + "\", \"status\":"
        + request.status()
        + ", \"protocol\":\""
        + request.protocol()
        + "\", \"responseLength\":"
        + request.responseLength()
        + " }";
  }

  private static String orAbsent(String value) {
    return value == null ? ABSENT : value;
  }
}
