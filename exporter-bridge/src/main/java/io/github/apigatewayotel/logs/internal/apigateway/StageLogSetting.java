package io.github.apigatewayotel.logs.internal.apigateway;

/**
 * One stage's {@code accessLogSettings} as API Gateway returns them.
 *
 * @param api the API id and stage name, for messages ({@code a1b2c3/prod})
 * @param format the format string typed into the stage's "Log format" box
 * @param destinationArn a CloudWatch Logs group ARN or a Kinesis Data Firehose stream ARN
 */
public record StageLogSetting(String api, String format, String destinationArn) {}
