package io.github.apigatewayotel.logs.internal.apigateway;

/**
 * One stage's {@code accessLogSettings} as API Gateway returns them.
 *
 * @param apiId the API's id
 * @param stage the stage name
 * @param format the format string typed into the stage's "Log format" box
 * @param destinationArn a CloudWatch Logs group ARN or a Kinesis Data Firehose stream ARN
 * @param apiType {@code rest}, {@code http} or {@code websocket} ({@code aws.apigateway.api.type})
 *     <p>This class is internal and is hence not for public use. Its APIs are unstable and can
 *     change at any time.
 */
public record StageLogSetting(
    String apiId, String stage, String format, String destinationArn, String apiType) {

  /** The value of {@code aws.apigateway.api.type} for REST APIs (API Gateway v1). */
  public static final String REST = "rest";

  /** The API id and stage name, for messages ({@code a1b2c3/prod}). */
  public String api() {
    return apiId + "/" + stage;
  }
}
