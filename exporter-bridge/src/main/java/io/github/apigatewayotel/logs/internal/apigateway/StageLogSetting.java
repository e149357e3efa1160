package io.github.apigatewayotel.logs.internal.apigateway;

/**
 * One stage's {@code accessLogSettings} as API Gateway returns them.
 *
 * @param apiId the API's id
 * @param stage the stage name
 * @param format the format string typed into the stage's "Log format" box
 * @param destinationArn a CloudWatch Logs group ARN or a Kinesis Data Firehose stream ARN
 */
public record StageLogSetting(String apiId, String stage, String format, String destinationArn) {

  /** The API id and stage name, for messages ({@code a1b2c3/prod}). */
  public String api() {
    return apiId + "/" + stage;
  }
}
